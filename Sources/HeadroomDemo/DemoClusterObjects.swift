import Foundation
import HeadroomCore
import HeadroomRecommend

/// The demo cluster's nodes and ResourceQuotas, written as kube-state-metrics series (Prometheus
/// text format) for `headroom import`: the nodes each pool runs today (on-demand AWS types) and
/// quotas that exercise the budget checks: production's fits its requests, staging's allows far
/// more than staging uses, development has none; and PersistentVolumes: PostgreSQL's claims and a
/// volume a deleted workload left behind.
public enum DemoClusterObjects {
    public struct Node: Sendable, Hashable {
        public var name: String
        public var pool: String
        public var zone: String
        public var instanceType: String
        public var vcpu: Int
        public var memoryGiB: Int
        /// After kube/system reservations (EKS AL2023, as Karpenter computes them).
        public var allocatable: ResourceAmounts
    }

    public struct Quota: Sendable, Hashable {
        public var namespace: String
        public var resource: String
        public var hard: Double
    }

    /// (pool, instance type, vCPU, GiB, zones): production's pools across its zones, one node per other environment.
    static let layout: [(pool: String, type: String, vcpu: Int, memoryGiB: Int, maxPods: Int, zones: [String])] = [
        ("frontend", "c6i.large", 2, 4, 29, ["us-east-1a", "us-east-1b"]),
        ("backend", "c6i.large", 2, 4, 29, DemoCluster.productionZones),
        ("data", "c6i.xlarge", 4, 8, 58, DemoCluster.productionZones),
        ("staging-general", "m6i.2xlarge", 8, 32, 58, ["us-east-1a"]),
        ("development-general", "m6i.xlarge", 4, 16, 58, ["us-east-1a"]),
    ]

    public static var nodes: [Node] {
        layout.flatMap { entry in
            entry.zones.enumerated().map { index, zone in
                let allocatable = NodeType(name: entry.type, vcpu: entry.vcpu, memoryGiB: entry.memoryGiB, maxPods: entry.maxPods, microdollarsPerHour: 0).allocatable
                return Node(name: "ip-10-0-\(layout.firstIndex { $0.pool == entry.pool }! + 1)-\(index + 1).ec2.internal", pool: entry.pool,
                            zone: zone, instanceType: entry.type, vcpu: entry.vcpu, memoryGiB: entry.memoryGiB, allocatable: allocatable)
            }
        }
    }

    public struct Volume: Sendable, Hashable {
        public var name: String
        public var namespace: String
        public var claim: String
        /// The StatefulSet pod that mounts the claim (nil: nobody does).
        public var pod: (workload: String, pod: String)?
        public var bytes: Int64
        public var phase: String
        public static func == (lhs: Volume, rhs: Volume) -> Bool { lhs.name == rhs.name }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    /// One volume per replica of each workload with a declared volume (PostgreSQL's 50Gi), bound to
    /// the claim its pod mounts, and one volume left Released by a deleted workload.
    public static var volumes: [Volume] {
        var result: [Volume] = []
        for spec in DemoCluster.workloads {
            guard let size = spec.volume, spec.kind == .statefulSet else { continue }
            for index in 0..<spec.maxReplicas {
                let pod = "\(spec.name)-\(index)"
                result.append(Volume(name: "pvc-\(String(stableHash("\(spec.environment)/\(pod)") % 0xFFFF_FFFF, radix: 16))", namespace: spec.environment,
                                     claim: "data-\(pod)", pod: (spec.name, pod), bytes: size.bytes, phase: "Bound"))
            }
        }
        result.append(Volume(name: "pvc-5e1d0a7b", namespace: "production", claim: "data-analytics-0", pod: nil, bytes: 200 << 30, phase: "Released"))
        return result
    }

    public static let quotas: [Quota] = [
        Quota(namespace: "production", resource: "requests.cpu", hard: 16),
        Quota(namespace: "production", resource: "requests.memory", hard: 40 * 1_073_741_824),
        Quota(namespace: "staging", resource: "requests.cpu", hard: 40),
        Quota(namespace: "staging", resource: "requests.memory", hard: 128 * 1_073_741_824),
    ]

    /// Writes the series at `time` (unix seconds) to `path`.
    public static func write(to path: String, time: Int64, cluster: String = DemoCluster.clusterName) throws {
        let ms = time * 1000
        var text = "# Demo cluster objects (kube-state-metrics series) for headroom import\n"
        text += "# TYPE kube_node_labels gauge\n"
        for node in nodes {
            text += "kube_node_labels{cluster=\"\(cluster)\",node=\"\(node.name)\",label_eks_amazonaws_com_nodegroup=\"\(node.pool)\","
                + "label_node_kubernetes_io_instance_type=\"\(node.instanceType)\",label_topology_kubernetes_io_zone=\"\(node.zone)\"} 1 \(ms)\n"
        }
        for (metric, capacity) in [("kube_node_status_capacity", true), ("kube_node_status_allocatable", false)] {
            text += "# TYPE \(metric) gauge\n"
            for node in nodes {
                let cpu = capacity ? Double(node.vcpu) : Double(node.allocatable.cpu!.millicores) / 1000
                let memory = capacity ? Double(node.memoryGiB) * 1_073_741_824 : Double(node.allocatable.memory!.bytes)
                text += "\(metric){cluster=\"\(cluster)\",node=\"\(node.name)\",resource=\"cpu\",unit=\"core\"} \(cpu) \(ms)\n"
                text += "\(metric){cluster=\"\(cluster)\",node=\"\(node.name)\",resource=\"memory\",unit=\"byte\"} \(Int64(memory)) \(ms)\n"
            }
        }
        text += "# TYPE kube_resourcequota gauge\n"
        for quota in quotas {
            text += "kube_resourcequota{cluster=\"\(cluster)\",namespace=\"\(quota.namespace)\",resourcequota=\"compute\",resource=\"\(quota.resource)\",type=\"hard\"} \(quota.hard) \(ms)\n"
        }
        let volumes = self.volumes
        text += "# TYPE kube_persistentvolume_capacity_bytes gauge\n"
        for volume in volumes {
            text += "kube_persistentvolume_capacity_bytes{cluster=\"\(cluster)\",persistentvolume=\"\(volume.name)\"} \(volume.bytes) \(ms)\n"
        }
        text += "# TYPE kube_persistentvolume_status_phase gauge\n"
        for volume in volumes {
            for phase in ["Available", "Bound", "Released"] {
                text += "kube_persistentvolume_status_phase{cluster=\"\(cluster)\",persistentvolume=\"\(volume.name)\",phase=\"\(phase)\"} \(phase == volume.phase ? 1 : 0) \(ms)\n"
            }
        }
        text += "# TYPE kube_persistentvolume_claim_ref gauge\n"
        for volume in volumes {
            text += "kube_persistentvolume_claim_ref{cluster=\"\(cluster)\",persistentvolume=\"\(volume.name)\",claim_namespace=\"\(volume.namespace)\",name=\"\(volume.claim)\"} 1 \(ms)\n"
        }
        text += "# TYPE kube_persistentvolume_info gauge\n"
        for volume in volumes {
            text += "kube_persistentvolume_info{cluster=\"\(cluster)\",persistentvolume=\"\(volume.name)\",storageclass=\"gp3\"} 1 \(ms)\n"
        }
        text += "# TYPE kube_pod_owner gauge\n"
        for volume in volumes {
            guard let pod = volume.pod else { continue }
            text += "kube_pod_owner{cluster=\"\(cluster)\",namespace=\"\(volume.namespace)\",pod=\"\(pod.pod)\",owner_kind=\"StatefulSet\",owner_name=\"\(pod.workload)\"} 1 \(ms)\n"
        }
        text += "# TYPE kube_pod_spec_volumes_persistentvolumeclaims_info gauge\n"
        for volume in volumes {
            guard let pod = volume.pod else { continue }
            text += "kube_pod_spec_volumes_persistentvolumeclaims_info{cluster=\"\(cluster)\",namespace=\"\(volume.namespace)\",pod=\"\(pod.pod)\",volume=\"data\",persistentvolumeclaim=\"\(volume.claim)\"} 1 \(ms)\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

