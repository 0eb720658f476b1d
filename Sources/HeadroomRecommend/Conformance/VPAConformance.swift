import Foundation

/// The VPA case types of `vpa_cases.json`, answered with `HistogramOptions`, `Histogram` and
/// `VPAEstimators`.
enum VPAConformance {
    static func answer(type: String, input: [String: Any]) -> ConformanceRunner.Answer {
        switch type {
        case "histogramOptions": return histogramOptions(input)
        case "percentileEstimator": return percentileEstimator(input)
        case "confidenceMultiplier": return confidenceMultiplier(input)
        case "marginEstimator":
            let fraction = input.double("marginFraction") ?? 0
            return .got(["cpu_m": VPAEstimators.withMargin(input.int("baseCpu_m") ?? 0, fraction: fraction),
                         "memoryBytes": VPAEstimators.withMargin(input.int("baseMemoryBytes") ?? 0, fraction: fraction)])
        case "minResourceEstimator":
            return .got(["cpu_m": VPAEstimators.withMinimum(input.int("baseCpu_m") ?? 0, minimum: input.int("minCpu_m") ?? 0),
                         "memoryBytes": VPAEstimators.withMinimum(input.int("baseMemoryBytes") ?? 0, minimum: input.int("minMemoryBytes") ?? 0)])
        case "podMinimum":
            let share = VPAEstimators.podMinimumShare(cpuMillicores: input.double("podMinCpuMillicores") ?? 0,
                                                      memoryMiB: input.double("podMinMemoryMb") ?? 0,
                                                      containers: Int(input.int("containerCount") ?? 1))
            return .got(["perContainerCpu_m": max(share.cpu, input.int("estimatorCpu_m") ?? 0),
                         "perContainerMemoryBytes": max(share.memory, input.int("estimatorMemoryBytes") ?? 0)])
        case "cpuAmountFromCores":
            return .got(["millicores": VPAEstimators.cpuAmount(cores: input.double("cores") ?? 0)])
        case "roundUpToScale":
            let value = input.int("value") ?? 0
            do {
                return .got(["value": try VPAEstimators.roundUp(value, toScale: input.int("scale") ?? 0), "error": NSNull()])
            } catch {
                return .got(["value": value, "error": error.message])
            }
        case "aggregateExpiry":
            return aggregateExpiry(input)
        default:
            return VPAScenarioConformance.answer(type: type, input: input) ?? .unsupported("\(type) is not implemented yet")
        }
    }

    /// A plain histogram after `samples` ({op: add | subtract, value, weight}).
    static func histogram(_ options: HistogramOptions, _ samples: [[String: Any]]) -> Histogram {
        var histogram = Histogram(options: options)
        for sample in samples {
            let value = sample.double("value") ?? 0, weight = sample.double("weight") ?? 0
            if sample["op"] as? String == "subtract" { histogram.subtract(value, weight: weight) } else { histogram.add(value, weight: weight) }
        }
        return histogram
    }

    static func options(_ object: [String: Any]?) -> HistogramOptions? {
        guard let object, let maxValue = object.double("maxValue"), let epsilon = object.double("epsilon") else { return nil }
        switch object["scheme"] as? String {
        case "linear":
            guard let size = object.double("bucketSize") else { return nil }
            return HistogramOptions(maxValue: maxValue, scheme: .linear(bucketSize: size), epsilon: epsilon)
        case "exponential":
            guard let first = object.double("firstBucketSize"), let ratio = object.double("ratio") else { return nil }
            return HistogramOptions(maxValue: maxValue, scheme: .exponential(firstBucketSize: first, ratio: ratio), epsilon: epsilon)
        default:
            return nil
        }
    }

    private static func histogramOptions(_ input: [String: Any]) -> ConformanceRunner.Answer {
        guard let options = options(input.object("options")) else { return .unsupported("unreadable histogram options") }
        // The expected side names the buckets and values it checks; the answer may not read it,
        // so it lists every bucket start and findBucket for a probe set: each bucket's start,
        // midpoint and a point just below its start, plus round values from −1 to 1e12.
        let starts = (0..<options.numBuckets).map { ["bucket": $0, "start": options.bucketStart($0)] as [String: Any] }
        var got: [String: Any] = ["numBuckets": options.numBuckets, "epsilon": options.epsilon, "bucketStart": starts]
        var probes: [Double] = [-1, 0, 0.005, 0.01, 0.1, 1, 1.3, 10, 39.99, 40, 100, 900, 1000, 5e6, 1e7, 1e8, 1e9, 1e10, 1e12]
        for bucket in 0..<options.numBuckets {
            let start = options.bucketStart(bucket)
            probes.append(start)
            if bucket + 1 < options.numBuckets { probes.append((start + options.bucketStart(bucket + 1)) / 2) }
            if bucket > 0 { probes.append(start - (start - options.bucketStart(bucket - 1)) / 100) }
        }
        let probeValues = Array(Set(probes)).sorted()
        got["findBucket"] = probeValues.map { ["value": $0, "bucket": options.findBucket($0)] as [String: Any] }
        got["derived"] = [
            "numBuckets": options.numBuckets,
            "lastBucketStart": options.bucketStart(options.numBuckets - 1),
            "firstBucketStarts": (0..<min(6, options.numBuckets)).map(options.bucketStart),
            "findBucketExamples": probeValues.map { ["value": $0, "bucket": options.findBucket($0)] as [String: Any] },
        ] as [String: Any]
        return .got(got)
    }

    private static func percentileEstimator(_ input: [String: Any]) -> ConformanceRunner.Answer {
        guard let cpuOptions = options(input.object("cpuOptions")), let memoryOptions = options(input.object("memoryOptions")) else {
            return .unsupported("unreadable histogram options")
        }
        let cpu = histogram(cpuOptions, input.objects("cpuSamplesCores")).percentile(input.double("cpuPercentile") ?? 0.9)
        let memory = histogram(memoryOptions, input.objects("memorySamplesBytes")).percentile(input.double("memoryPercentile") ?? 0.9)
        return .got(["cpuCores": cpu, "memoryBytes": memory,
                     "derivedExact": ["cpu_m": VPAEstimators.cpuAmount(cores: cpu), "memoryBytes": VPAEstimators.amount(memory)]])
    }

    private static func confidenceMultiplier(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let state = input.object("state") ?? [:]
        let confidence = VPAEstimators.confidence(
            totalSamples: Int(state.int("totalSamplesCount") ?? 0), firstSample: state.double("firstSampleStartSeconds"),
            lastSample: state.double("lastSampleStartSeconds"), intervalSeconds: input.double("confidenceIntervalSeconds") ?? 86_400)
        let multiplier = input.double("multiplier") ?? 1, exponent = input.double("exponent") ?? 1
        return .got([
            "cpu_m": VPAEstimators.withConfidenceMultiplier(input.int("baseCpu_m") ?? 0, multiplier: multiplier, exponent: exponent, confidence: confidence),
            "memoryBytes": VPAEstimators.withConfidenceMultiplier(input.int("baseMemoryBytes") ?? 0, multiplier: multiplier, exponent: exponent, confidence: confidence),
            "confidence": confidence,
        ])
    }

    private static func aggregateExpiry(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let reference = input.double("referenceTimeSeconds") ?? 0
        let interval = input.double("memoryAggregationIntervalSeconds") ?? 86_400
        let count = Int(input.int("memoryAggregationIntervalCount") ?? 8)
        // Probe times: every hour over twice the window, answered for the expected list's times.
        let window = interval * Double(count)
        let probes = stride(from: 0.0, through: 2 * window, by: 3600).map { reference + $0 }
        return .got(["isExpiredAt": probes.map { time in
            ["timeSeconds": time, "expired": VPAEstimators.isExpired(now: time, reference: reference, intervalSeconds: interval, intervalCount: count)] as [String: Any]
        }])
    }
}
