import Foundation
import Yams

/// Which Prometheus series the collector reads and how their labels map onto the names Headroom
/// understands (cAdvisor and kube-state-metrics). Loaded from `models/queries/*.yaml` so other
/// label schemes (older cAdvisor's `pod_name`, a `cluster` label from Thanos…) are a file away.
///
/// Each entry is a plain vector selector: the collector wraps it in the functions that make
/// Prometheus downsample it (`DownsampleQuery`), or with `--raw` reads its raw samples in chunks
/// (range selectors) and buckets them exactly as a file import would.
public struct PrometheusQuerySet: Codable, Sendable, Equatable {
    public struct Metric: Codable, Sendable, Equatable {
        /// The metric name Headroom interprets (for example `container_cpu_usage_seconds_total`).
        public var metric: String
        /// The PromQL vector selector that returns it on this Prometheus.
        public var selector: String
        /// Headroom label name → the label name in this Prometheus, where they differ.
        public var labels: [String: String]?

        public init(metric: String, selector: String, labels: [String: String]? = nil) {
            self.metric = metric
            self.selector = selector
            self.labels = labels
        }
    }

    public var name: String
    public var metrics: [Metric]

    public init(name: String, metrics: [Metric]) {
        self.name = name
        self.metrics = metrics
    }

    /// Reads a query set from YAML.
    public static func load(path: String) throws -> PrometheusQuerySet {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ImportError(file: path, line: nil, reason: "cannot read query set (\(error.localizedDescription))")
        }
        do {
            let set = try YAMLDecoder(encoding: .utf8).decode(PrometheusQuerySet.self, from: text)
            guard !set.metrics.isEmpty else { throw ImportError(file: path, line: nil, reason: "query set has no metrics") }
            return set
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError(file: path, line: nil, reason: "not a query set: \(error)")
        }
    }

    /// cAdvisor and kube-state-metrics with their usual label names (the same as
    /// `models/queries/default.yaml`).
    public static let `default` = PrometheusQuerySet(name: "cadvisor-kube-state-metrics", metrics: [
        Metric(metric: "container_cpu_usage_seconds_total",
               selector: #"container_cpu_usage_seconds_total{container!="",container!="POD"}"#),
        Metric(metric: "container_memory_working_set_bytes",
               selector: #"container_memory_working_set_bytes{container!="",container!="POD"}"#),
        Metric(metric: "kube_pod_container_resource_requests",
               selector: #"kube_pod_container_resource_requests{resource=~"cpu|memory"}"#),
        Metric(metric: "kube_pod_container_resource_limits",
               selector: #"kube_pod_container_resource_limits{resource=~"cpu|memory"}"#),
        Metric(metric: "kube_pod_owner", selector: "kube_pod_owner"),
        Metric(metric: "kube_replicaset_owner", selector: "kube_replicaset_owner"),
        Metric(metric: "kube_deployment_spec_replicas", selector: "kube_deployment_spec_replicas"),
        Metric(metric: "kube_statefulset_replicas", selector: "kube_statefulset_replicas"),
        Metric(metric: "kube_daemonset_status_desired_number_scheduled", selector: "kube_daemonset_status_desired_number_scheduled"),
        Metric(metric: "kube_job_owner", selector: "kube_job_owner"),
        Metric(metric: "kube_node_status_allocatable", selector: #"kube_node_status_allocatable{resource=~"cpu|memory"}"#),
        Metric(metric: "kube_node_status_capacity", selector: #"kube_node_status_capacity{resource=~"cpu|memory"}"#),
        Metric(metric: "kube_node_labels", selector: "kube_node_labels"),
        Metric(metric: "kube_resourcequota", selector: "kube_resourcequota"),
        Metric(metric: "kube_persistentvolume_capacity_bytes", selector: "kube_persistentvolume_capacity_bytes"),
        Metric(metric: "kube_persistentvolume_status_phase", selector: "kube_persistentvolume_status_phase"),
        Metric(metric: "kube_persistentvolume_claim_ref", selector: "kube_persistentvolume_claim_ref"),
        Metric(metric: "kube_persistentvolume_info", selector: "kube_persistentvolume_info"),
        Metric(metric: "kube_pod_spec_volumes_persistentvolumeclaims_info", selector: "kube_pod_spec_volumes_persistentvolumeclaims_info"),
        Metric(metric: "kube_pod_container_status_restarts_total", selector: "kube_pod_container_status_restarts_total"),
        Metric(metric: "kube_pod_container_status_last_terminated_reason",
               selector: #"kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}"#),
    ])
}

extension PrometheusQuerySet.Metric {
    /// The selector with extra label matchers added (`namespace=~"a|b"`, `pod=~"…"`).
    func selector(adding matchers: [String]) -> String {
        guard !matchers.isEmpty else { return selector }
        let extra = matchers.joined(separator: ",")
        if selector.hasSuffix("}"), let open = selector.firstIndex(of: "{") {
            let inside = selector[selector.index(after: open)..<selector.index(before: selector.endIndex)]
            return "\(selector[..<open]){\(inside.isEmpty ? "" : "\(inside),")\(extra)}"
        }
        return "\(selector){\(extra)}"
    }

    /// The source label that carries Headroom's label `name`.
    func sourceLabel(_ name: String) -> String { labels?[name] ?? name }
}
