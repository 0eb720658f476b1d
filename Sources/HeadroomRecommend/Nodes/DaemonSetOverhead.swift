import HeadroomCore

/// What the DaemonSets take off every node of a pool: their containers' requests (a DaemonSet
/// runs one pod per node) and the pod slots, plus any per-node overhead the user declares. A
/// DaemonSet whose pool is unknown runs on every pool. Node plans (advise) and drain plans
/// (reclaim) both subtract it, the same way.
public struct DaemonSetOverhead: Sendable, Hashable, Codable {
    public var requests: ResourceAmounts
    /// DaemonSet pods on each node.
    public var pods: Int

    public static let none = DaemonSetOverhead(requests: .none, pods: 0)

    public init(requests: ResourceAmounts, pods: Int) {
        self.requests = requests
        self.pods = pods
    }

    /// One DaemonSet container: its requests per pod and the pool it is pinned to (nil: every pool).
    public struct Member: Sendable, Hashable {
        public var container: ContainerID
        public var requests: ResourceAmounts
        public var pool: String?

        public init(container: ContainerID, requests: ResourceAmounts, pool: String?) {
            self.container = container
            self.requests = requests
            self.pool = pool
        }
    }

    /// The overhead on each node of `pool`.
    public static func onNodes(of pool: String, daemonSets: [Member], extra: ResourceAmounts = .none) -> DaemonSetOverhead {
        let agents = daemonSets.filter { $0.pool == nil || $0.pool == pool }
        return DaemonSetOverhead(requests: agents.reduce(extra + .zero) { $0 + $1.requests }, pods: Set(agents.map(\.container.workload)).count)
    }
}
