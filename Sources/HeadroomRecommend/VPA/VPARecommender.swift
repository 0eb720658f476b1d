import HeadroomCore

/// The `vpa` strategy: the upstream recommender's numbers computed from Headroom's 5-minute
/// history, for users who want parity. CPU: every bucket mean is a sample (weight 0.1, decaying
/// with a 24 h half-life; counted as 5 one-minute samples for confidence). Memory: the peak of
/// each 24 h window (weight 1, decaying), an OOM kill adding max(used + 100 MiB, used × 1.2)
/// with used = max(request, the window's peak). Target p90, lower p50, upper p95, each + 15 %;
/// bounds widened by the confidence multiplier; pod minimum 25m / 250 MiB per container.
public enum VPARecommender {
    public struct Bounds: Sendable, Hashable, Codable {
        public var target: ResourceAmounts
        public var lowerBound: ResourceAmounts
        public var upperBound: ResourceAmounts
    }

    /// - Parameters: bucket starts (unix seconds) with per-pod CPU means (millicores) and memory
    ///   maxima (bytes); OOM kill times; the current memory request; containers in the pod.
    public static func recommend(times: [Int64], cpuMillicores: [Double?], memoryPeaks: [Double?], oomTimes: [Int64],
                                 memoryRequest: Int64?, containersInPod: Int = 1) -> Bounds {
        let day = 86_400.0
        var cpu = DecayingHistogram(options: .productionCPU, halfLife: day)
        var memory = DecayingHistogram(options: .productionMemory, halfLife: day)
        var samples = 0
        var first: Double?
        var last: Double?
        for (index, time) in times.enumerated() {
            guard let value = cpuMillicores[index] else { continue }
            cpu.add(value / 1000, weight: 0.1, time: Double(time))
            samples += 5
            first = first ?? Double(time)
            last = Double(time)
        }
        // Memory peaks per 24 h window starting at the first sample.
        if let start = times.first {
            var windowEnd = Double(start) + day
            var peak = 0.0
            var oomIndex = 0
            let ooms = oomTimes.sorted()
            func flush() { if peak > 0 { memory.add(peak, weight: 1, time: windowEnd) } }
            for (index, time) in times.enumerated() {
                if Double(time) >= windowEnd {
                    flush()
                    windowEnd += ((Double(time) - windowEnd) / day).rounded(.down) * day + day
                    peak = 0
                }
                while oomIndex < ooms.count && ooms[oomIndex] <= time {
                    let used = max(Double(memoryRequest ?? 0), peak)
                    peak = max(peak, max(used + 104_857_600, (used * 1.2).rounded(.down)))
                    oomIndex += 1
                }
                if let value = memoryPeaks[index] { peak = max(peak, value) }
            }
            flush()
        }
        let confidence = VPAEstimators.confidence(totalSamples: samples, firstSample: first, lastSample: last, intervalSeconds: day)
        let minimum = VPAEstimators.podMinimumShare(cpuMillicores: 25, memoryMiB: 250, containers: containersInPod)
        func estimate(_ percentile: Double, multiplier: Double?, exponent: Double) -> ResourceAmounts {
            var cpuAmount = VPAEstimators.withMargin(VPAEstimators.cpuAmount(cores: cpu.percentile(percentile)), fraction: 0.15)
            var memoryAmount = VPAEstimators.withMargin(VPAEstimators.amount(memory.percentile(percentile)), fraction: 0.15)
            if let multiplier {
                cpuAmount = VPAEstimators.withConfidenceMultiplier(cpuAmount, multiplier: multiplier, exponent: exponent, confidence: confidence)
                memoryAmount = VPAEstimators.withConfidenceMultiplier(memoryAmount, multiplier: multiplier, exponent: exponent, confidence: confidence)
            }
            return ResourceAmounts(cpu: CPUQuantity(millicores: max(cpuAmount, minimum.cpu)),
                                   memory: MemoryQuantity(bytes: max(memoryAmount, minimum.memory)))
        }
        return Bounds(target: estimate(0.9, multiplier: nil, exponent: 1),
                      lowerBound: estimate(0.5, multiplier: 0.001, exponent: -2),
                      upperBound: estimate(0.95, multiplier: 1, exponent: 1))
    }
}
