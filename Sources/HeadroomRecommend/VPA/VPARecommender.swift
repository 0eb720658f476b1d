import HeadroomCore

/// The `vpa` strategy: the upstream recommender's numbers computed from Headroom's 5-minute
/// history, for users who want parity, through the upstream ingestion (`VPAContainerState`,
/// checked by the conformance cases). CPU: every bucket mean is a sample (weight 0.1, decaying
/// with a 24 h half-life; counted as 5 one-minute samples for confidence). Memory: the peak of
/// each 24 h window (weight 1, decaying), an OOM kill adding max(used + 100 MiB, used × 1.2)
/// with used = max(request, the window's non-OOM peak). Target p90, lower p50, upper p95, each + 15 %;
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
        // Samples go through the upstream ingestion, in time order, an OOM kill before the
        // bucket it falls in.
        var state = VPAContainerState()
        state.deferPeaks = true
        let ooms = oomTimes.sorted()
        var oomIndex = 0
        let request = Double(memoryRequest ?? 0)
        for (index, time) in times.enumerated() {
            while oomIndex < ooms.count && ooms[oomIndex] <= time {
                state.recordOOM(at: Double(ooms[oomIndex]), requestBytes: request)
                oomIndex += 1
            }
            if let value = cpuMillicores[index] { state.addCPU(millicores: value, at: Double(time)) }
            if let value = memoryPeaks[index] { state.addMemory(bytes: value, at: Double(time)) }
        }
        for time in ooms[oomIndex...] { state.recordOOM(at: Double(time), requestBytes: request) }
        state.finish()
        let cpu = state.cpu, memory = state.memory
        // Each 5-minute bucket stands for five one-minute samples.
        let samples = state.cpuSamples * 5
        let first = state.firstCPUSample, last = state.lastCPUSample
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
