import Foundation

/// The VPA case types whose assertions are sequences of operations (histograms, decaying
/// histograms, checkpoints, a container's sample ingestion) and the resource-list conversion.
/// Operations' expected fields are never read: asserting operations are answered in order in
/// `got.results`.
enum VPAScenarioConformance {
    static func answer(type: String, input: [String: Any]) -> ConformanceRunner.Answer? {
        switch type {
        case "histogramScenario": return histogramScenario(input)
        case "histogramCheckpoint": return histogramCheckpoint(input)
        case "histogramCheckpointLoad": return histogramCheckpointLoad(input)
        case "histogramCheckpointRoundTrip": return histogramCheckpointRoundTrip(input)
        case "containerScenario": return containerScenario(input)
        case "resourcesAsResourceList": return resourcesAsResourceList(input)
        default: return nil
        }
    }

    /// A plain or decaying histogram under `add`, `subtract`, `percentile` and `isEmpty`.
    private static func histogramScenario(_ input: [String: Any]) -> ConformanceRunner.Answer {
        guard let options = VPAConformance.options(input.object("options")) else { return .unsupported("unreadable histogram options") }
        var plain = Histogram(options: options)
        var decaying = input.double("decayHalfLifeSeconds").map { DecayingHistogram(options: options, halfLife: $0) }
        var results: [Any] = []
        for operation in input.objects("operations") {
            let value = operation.double("value") ?? 0, weight = operation.double("weight") ?? 0, time = operation.double("timeSeconds") ?? 0
            switch operation["op"] as? String {
            case "add":
                if decaying != nil { decaying!.add(value, weight: weight, time: time) } else { plain.add(value, weight: weight) }
            case "subtract":
                if decaying != nil { decaying!.subtract(value, weight: weight, time: time) } else { plain.subtract(value, weight: weight) }
            case "percentile":
                let p = operation.double("percentile") ?? 0
                results.append(decaying?.percentile(p) ?? plain.percentile(p))
            case "isEmpty":
                results.append(decaying?.isEmpty ?? plain.isEmpty)
            case let other:
                return .unsupported("histogram operation \(other ?? "?") is not implemented")
            }
        }
        return .got(["results": results])
    }

    private static func histogram(_ input: [String: Any]) -> Histogram? {
        VPAConformance.options(input.object("options")).map { VPAConformance.histogram($0, input.objects("samples")) }
    }

    private static func histogramCheckpoint(_ input: [String: Any]) -> ConformanceRunner.Answer {
        guard let histogram = histogram(input) else { return .unsupported("unreadable histogram options") }
        let checkpoint = histogram.checkpoint
        return .got(["totalWeight": checkpoint.totalWeight,
                     "bucketWeights": Dictionary(uniqueKeysWithValues: checkpoint.bucketWeights.map { (String($0.key), Int($0.value)) })])
    }

    private static func histogramCheckpointLoad(_ input: [String: Any]) -> ConformanceRunner.Answer {
        guard let options = VPAConformance.options(input.object("options")) else { return .unsupported("unreadable histogram options") }
        guard let stored = input.object("checkpoint") else { return .got(["error": true, "reason": "no checkpoint"]) }
        var buckets: [Int: UInt32] = [:]
        for (key, value) in stored.object("bucketWeights") ?? [:] {
            guard let bucket = Int(key), let weight = (value as? NSNumber)?.int64Value, weight >= 0, weight <= Int64(UInt32.max) else {
                return .got(["error": true, "reason": "unreadable bucket \(key)"])
            }
            buckets[bucket] = UInt32(weight)
        }
        do {
            let histogram = try Histogram(options: options, loading: HistogramCheckpoint(totalWeight: stored.double("totalWeight") ?? 0, bucketWeights: buckets))
            var after: [String: Double] = [:]
            for (bucket, weight) in histogram.weights.enumerated() where weight > 0 { after[String(bucket)] = weight }
            return .got(["totalWeight": histogram.totalWeight, "bucketWeightsAfterLoad": after, "error": false])
        } catch {
            return .got(["error": true, "reason": error.description])
        }
    }

    private static func histogramCheckpointRoundTrip(_ input: [String: Any]) -> ConformanceRunner.Answer {
        guard let histogram = histogram(input) else { return .unsupported("unreadable histogram options") }
        do {
            let loaded = try Histogram(options: histogram.options, loading: histogram.checkpoint)
            return .got(["isEmptyBeforeSave": histogram.isEmpty, "isEmptyAfterLoad": loaded.isEmpty])
        } catch {
            return .got(["error": true, "reason": error.description])
        }
    }

    /// `addSample` (cpu in millicores, memory in bytes) and `recordOOM` through `VPAContainerState`:
    /// the histogram calls in order, and each operation's accepted / ok in `results`.
    private static func containerScenario(_ input: [String: Any]) -> ConformanceRunner.Answer {
        var settings = VPAContainerState.Settings()
        settings.intervalSeconds = input.double("memoryAggregationIntervalSeconds") ?? settings.intervalSeconds
        settings.oomBumpRatio = input.double("oomBumpUpRatio") ?? settings.oomBumpRatio
        settings.oomMinimumBumpBytes = input.double("oomMinBumpUpBytes") ?? settings.oomMinimumBumpBytes
        var state = VPAContainerState(settings: settings)
        state.recording = true
        var results: [Any] = []
        for operation in input.objects("operations") {
            let time = operation.double("timeSeconds") ?? 0
            switch (operation["op"] as? String, operation["resource"] as? String) {
            case ("addSample", "cpu"): results.append(state.addCPU(millicores: operation.double("usage") ?? 0, at: time))
            case ("addSample", "memory"): results.append(state.addMemory(bytes: operation.double("usage") ?? 0, at: time))
            case ("recordOOM", _): results.append(state.recordOOM(at: time, requestBytes: operation.double("requestBytes") ?? 0))
            case let (op, resource): return .unsupported("container operation \(op ?? "?") \(resource ?? "") is not implemented")
            }
        }
        let calls = state.calls.map { call -> [String: Any] in
            ["histogram": call.histogram.rawValue, "call": call.call.rawValue, "value": call.value, "weight": call.weight, "timeSeconds": call.time]
        }
        return .got(["histogramCalls": calls, "results": results])
    }

    /// Rounding up to a multiple (zero stays zero), then memory as bytes or humanized in binary
    /// units with two decimals (the deprecated --humanize-memory output).
    private static func resourcesAsResourceList(_ input: [String: Any]) -> ConformanceRunner.Answer {
        func roundedUp(_ value: Int64, _ factor: Int64) -> Int64 {
            guard value != 0, factor > 1 else { return value }
            return (value + factor - 1) / factor * factor
        }
        let cpu = roundedUp(input.int("cpu_m") ?? 0, input.int("roundCpuMillicores") ?? 1)
        let memory = roundedUp(input.int("memoryBytes") ?? 0, input.int("roundMemoryBytes") ?? 1)
        let humanize = input["humanizeMemory"] as? Bool ?? false
        return .got(["cpu_m": cpu, "memory": humanize ? ["humanized": humanized(memory)] : ["bytes": memory]])
    }

    static func humanized(_ bytes: Int64) -> String {
        for (suffix, shift) in [("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)] where bytes >= Int64(1) << shift {
            return String(format: "%.2f", Double(bytes) / Double(Int64(1) << shift)) + suffix
        }
        return String(bytes)
    }
}
