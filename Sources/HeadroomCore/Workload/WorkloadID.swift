/// Names one workload: the object that owns pods, in one namespace of one cluster.
public struct WorkloadID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var cluster: String
    public var namespace: String
    public var kind: WorkloadKind
    public var name: String

    public init(cluster: String, namespace: String, kind: WorkloadKind, name: String) {
        self.cluster = cluster
        self.namespace = namespace
        self.kind = kind
        self.name = name
    }

    /// `namespace/Kind/name`, prefixed by the cluster when it is not the default one.
    public var description: String {
        let local = "\(namespace)/\(kind.rawValue)/\(name)"
        return cluster.isEmpty || cluster == ContainerID.defaultCluster ? local : "\(cluster):\(local)"
    }

    public static func < (lhs: WorkloadID, rhs: WorkloadID) -> Bool {
        (lhs.cluster, lhs.namespace, lhs.kind.rawValue, lhs.name)
            < (rhs.cluster, rhs.namespace, rhs.kind.rawValue, rhs.name)
    }
}

/// Names one container of a workload: the unit Headroom sizes (requests and limits are per container).
public struct ContainerID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The cluster name used when a source does not name one.
    public static let defaultCluster = "default"

    public var workload: WorkloadID
    public var container: String

    public init(workload: WorkloadID, container: String) {
        self.workload = workload
        self.container = container
    }

    public init(cluster: String = ContainerID.defaultCluster, namespace: String, kind: WorkloadKind, workload: String, container: String) {
        self.init(workload: WorkloadID(cluster: cluster, namespace: namespace, kind: kind, name: workload), container: container)
    }

    public var description: String { "\(workload)/\(container)" }

    public static func < (lhs: ContainerID, rhs: ContainerID) -> Bool {
        (lhs.workload, lhs.container) < (rhs.workload, rhs.container)
    }
}
