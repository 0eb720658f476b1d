import HeadroomCore

/// Nodes seen through kube-state-metrics (`kube_node_status_allocatable`, `_capacity`,
/// `kube_node_labels`), kept at their latest values.
struct NodeMetrics {
    private struct Node {
        var allocatable = ResourceAmounts.none
        var capacity = ResourceAmounts.none
        var labels: [Substring: String] = [:]
    }

    private var nodes: [[String]: Node] = [:]
    private(set) var latest: Double?

    /// kube-state-metrics turns node label `a.b/c-d` into `label_a_b_c_d`.
    static func metricLabel(_ label: String) -> Substring {
        Substring("label_" + String(label.map { $0.isLetter || $0.isNumber ? $0 : "_" }))
    }

    mutating func amount(cluster: String, node: String, capacity: Bool, resource: String, value: Double, time: Double) {
        latest = max(latest ?? time, time)
        if resource == "cpu" {
            let quantity = CPUQuantity(cores: value)
            if capacity { nodes[[cluster, node], default: Node()].capacity.cpu = quantity } else { nodes[[cluster, node], default: Node()].allocatable.cpu = quantity }
        } else {
            let quantity = MemoryQuantity(number: value)
            if capacity { nodes[[cluster, node], default: Node()].capacity.memory = quantity } else { nodes[[cluster, node], default: Node()].allocatable.memory = quantity }
        }
    }

    mutating func labels(cluster: String, node: String, labels: [Substring: String], time: Double) {
        latest = max(latest ?? time, time)
        nodes[[cluster, node], default: Node()].labels = labels
    }

    var clusters: Set<String> { Set(nodes.keys.map { $0[0] }) }

    func records() -> [NodeRecord] {
        nodes.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { key, node in
            func label(_ names: [String]) -> String? { names.lazy.compactMap { node.labels[Self.metricLabel($0)] }.first }
            return NodeRecord(
                name: key[1],
                nodePool: label(KubernetesSource.poolLabels),
                zone: label(["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"]),
                instanceType: label(["node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"]),
                allocatable: node.allocatable, capacity: node.capacity)
        }
    }
}
