import HeadroomCore

/// Imports history from the Prometheus text exposition format or OpenMetrics, with timestamps,
/// using cAdvisor and kube-state-metrics names:
///
/// | metric | becomes |
/// |---|---|
/// | `container_cpu_usage_seconds_total` | CPU usage (counter → rate, resets handled) |
/// | `container_memory_working_set_bytes` | memory usage |
/// | `kube_pod_container_resource_requests` / `_limits` (`resource="cpu"` cores, `"memory"` bytes) | inventory |
/// | `kube_deployment_spec_replicas`, `kube_statefulset_replicas`, `kube_daemonset_status_desired_number_scheduled` | inventory replicas |
/// | `kube_pod_owner`, `kube_replicaset_owner`, `kube_job_owner` | pod → workload roll-up |
/// | `kube_node_status_allocatable` / `_capacity`, `kube_node_labels` | nodes (pool, zone, instance type) |
/// | `kube_resourcequota` (`type="hard"`/`"used"`) | quota lines |
/// | `kube_pod_container_status_restarts_total` | restart events |
/// | `kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}` | OOM-kill events |
///
/// Other metrics are counted and skipped. cAdvisor's pod-level series (`container=""` or `"POD"`)
/// are skipped. OpenMetrics (a file ending in `# EOF`) carries timestamps in seconds; the older
/// text format in milliseconds.
public struct ExpositionImporter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case openMetrics = "openmetrics"
        case prometheusText = "prometheus"
    }

    public init() {}

    /// OpenMetrics when the last non-empty line is `# EOF`, else the Prometheus text format.
    public static func detectFormat(_ text: String) -> Format {
        let last = text.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return last?.trimmingCharacters(in: .whitespaces) == "# EOF" ? .openMetrics : .prometheusText
    }

    public func parse(_ text: String, file: String, format: Format? = nil) throws(ImportError) -> CollectedBatch {
        let format = format ?? Self.detectFormat(text)
        var state = ExpositionState()
        var sawEOF = false
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let content = rawLine.last == "\r" ? rawLine.dropLast() : rawLine
            if content.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            func fail(_ reason: String) -> ImportError { ImportError(file: file, line: line, reason: reason) }
            if sawEOF { throw fail("content after # EOF") }
            if content.hasPrefix("#") {
                if content == "# EOF" { sawEOF = true }
                continue
            }
            let sample: ExpositionSample
            do throws(ExpositionSyntaxError) {
                sample = try ExpositionLineParser.parse(content)
            } catch {
                throw fail(error.reason)
            }
            guard let stamp = sample.timestamp else {
                throw fail("sample of \(sample.name) has no timestamp; history import needs timestamped samples")
            }
            let seconds = format == .openMetrics ? stamp : stamp / 1000
            if let problem = Self.timestampProblem(stamp, seconds: seconds, format: format) { throw fail(problem) }
            do throws(ExpositionSyntaxError) {
                try state.add(sample, time: seconds, line: line)
            } catch {
                throw fail(error.reason)
            }
        }
        return try state.batch(file: file)
    }
}

extension ExpositionImporter {
    /// What is wrong with a sample's timestamp, if anything. OpenMetrics counts seconds (small
    /// values are accepted, as test fixtures use them); Prometheus text counts milliseconds, where
    /// a seconds timestamp would land in January 1970 and must be refused, not stored.
    static func timestampProblem(_ stamp: Double, seconds: Double, format: Format) -> String? {
        guard stamp.isFinite else { return "timestamp \(stamp) is not a number" }
        guard stamp >= 0 else { return "timestamp \(stamp) is negative" }
        switch format {
        case .openMetrics:
            if seconds > 100_000_000_000 { return "timestamp \(stamp) looks like milliseconds; OpenMetrics timestamps are seconds" }
            if seconds >= Double(InputLimits.latestTime) { return "timestamp \(stamp) is after 2100; OpenMetrics timestamps are seconds" }
        case .prometheusText:
            if seconds < Double(InputLimits.earliestTime) {
                return "timestamp \(stamp) read as milliseconds (Prometheus text) is before 2000: seconds? end the file with \"# EOF\" to read it as OpenMetrics, whose timestamps are seconds"
            }
            if seconds >= Double(InputLimits.latestTime) { return "timestamp \(stamp) milliseconds is after 2100" }
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}

extension Set<Character> {
    fileprivate static let whitespaces: Set<Character> = [" ", "\t", "\r"]
}
