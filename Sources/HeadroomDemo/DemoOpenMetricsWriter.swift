import Foundation
import HeadroomCore

/// Writes demo samples as OpenMetrics text with cAdvisor and kube-state-metrics names, the way a
/// Prometheus scraping the demo cluster would have stored them: ready for
/// `promtool tsdb create-blocks-from openmetrics` (families contiguous, each series in time
/// order, timestamps in seconds, `# EOF` at the end).
///
/// CPU is a cumulative counter (`container_cpu_usage_seconds_total`) that restarts from zero
/// when a container is OOM-killed; kube-state-metrics series are written once per 5 minutes.
public enum DemoOpenMetricsWriter {
    public static func render(_ generator: DemoClusterGenerator) -> String {
        var text = ""
        render(generator, windowSeconds: nil) { _, part in text = part }
        return text
    }

    /// Renders the history in windows of `windowSeconds` (multiples of 5 minutes; nil: one
    /// window), each a complete OpenMetrics text handed to `emit` with its index as soon as its
    /// window is done, so memory holds one window, not the whole history. promtool backfills
    /// each window file with a single pass over it.
    public static func render(_ generator: DemoClusterGenerator, windowSeconds: Int64?,
                              emit: (Int, String) throws -> Void) rethrows {
        var families = Families()
        var window = 0
        let windowEnd = { (index: Int) -> Int64 in windowSeconds.map { generator.start + Int64(index + 1) * $0 } ?? .max }
        var counters: [String: Double] = [:]
        var restarts: [String: Int] = [:]
        var lastInterval: [String: Double] = [:]
        try generator.generate { sample in
            if sample.time >= windowEnd(window) {
                try emit(window, families.render())
                families = Families()
                window += 1
            }
            let spec = sample.workload
            let pod = "namespace=\"\(spec.environment)\",pod=\"\(sample.pod)\""
            let container = "\(pod),container=\"\(spec.container)\""
            let interval = Double(generator.options.sampleInterval)
            // The counter grows by this sample's usage over the interval that ends at it.
            counters[container, default: 0] += sample.cpuMillicores / 1000 * interval
            families.add("container_cpu_usage_seconds_total", container, sample.time, counters[container]!)
            families.add("container_memory_working_set_bytes", container, sample.time, sample.memoryBytes.rounded())
            if sample.oomKilled {
                counters[container] = 0
                restarts[container, default: 0] += 1
            }
            lastInterval[container] = interval
            guard sample.time % 300 == 0 else { return }
            for (resource, unit, request, limit) in [
                ("cpu", "core", spec.request.cpu.map { $0.cores }, spec.limit.cpu.map { $0.cores }),
                ("memory", "byte", spec.request.memory.map { Double($0.bytes) }, spec.limit.memory.map { Double($0.bytes) }),
            ] {
                let labels = "\(container),resource=\"\(resource)\",unit=\"\(unit)\""
                if let request { families.add("kube_pod_container_resource_requests", labels, sample.time, request) }
                if let limit { families.add("kube_pod_container_resource_limits", labels, sample.time, limit) }
            }
            let workload = "namespace=\"\(spec.environment)\""
            if spec.kind == .deployment {
                let replicaSet = sample.pod.split(separator: "-").dropLast().joined(separator: "-")
                families.add("kube_pod_owner", "\(pod),owner_kind=\"ReplicaSet\",owner_name=\"\(replicaSet)\"", sample.time, 1)
                families.add("kube_replicaset_owner", "\(workload),replicaset=\"\(replicaSet)\",owner_kind=\"Deployment\",owner_name=\"\(spec.name)\"", sample.time, 1)
                families.add("kube_deployment_spec_replicas", "\(workload),deployment=\"\(spec.name)\"", sample.time, Double(sample.replicas))
            } else {
                families.add("kube_pod_owner", "\(pod),owner_kind=\"\(spec.kind.rawValue)\",owner_name=\"\(spec.name)\"", sample.time, 1)
                families.add("kube_statefulset_replicas", "\(workload),statefulset=\"\(spec.name)\"", sample.time, Double(sample.replicas))
            }
            families.add("kube_pod_container_status_restarts_total", container, sample.time, Double(restarts[container] ?? 0))
            if restarts[container] != nil {
                families.add("kube_pod_container_status_last_terminated_reason", "\(container),reason=\"OOMKilled\"", sample.time, 1)
            }
        }
        try emit(window, families.render())
    }

    /// Writes the rendering to `path`.
    public static func write(_ generator: DemoClusterGenerator, to path: String) throws {
        try render(generator).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Samples grouped by family, then series, in first-seen order (deterministic).
    private struct Families {
        private var order: [String] = []
        private var series: [String: [String]] = [:]
        private var samples: [String: [(Int64, Double)]] = [:]
        private var seen: Set<String> = []

        mutating func add(_ family: String, _ labels: String, _ time: Int64, _ value: Double) {
            let key = "\(family){\(labels)}"
            if samples[key] == nil {
                if series[family] == nil { order.append(family) }
                series[family, default: []].append(key)
            }
            // One sample per series and timestamp (replica counts are written once per bucket).
            if let last = samples[key]?.last, last.0 == time { return }
            samples[key, default: []].append((time, value))
        }

        func render() -> String {
            var text = ""
            for family in order {
                let type = family.hasSuffix("_total") ? "counter" : "gauge"
                let name = type == "counter" ? String(family.dropLast(6)) : family
                text += "# TYPE \(name) \(type)\n"
                for key in series[family] ?? [] {
                    for (time, value) in samples[key] ?? [] {
                        text += "\(key) \(formatValue(value)) \(time)\n"
                    }
                }
            }
            return text + "# EOF\n"
        }

        private func formatValue(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
    }
}
