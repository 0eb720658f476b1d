/// Which shard a workload belongs to: FNV-1a (64 bits) of `cluster/namespace/kind/name`, modulo the
/// shard count. It depends on nothing but the name, so every replica, every version and every
/// restart puts a workload in the same shard (Swift's `hashValue` is seeded per process).
public enum ShardMap {
    /// The shard of `workload`, in `0..<shards`.
    public static func shard(of workload: WorkloadID, shards: Int) -> Int {
        Int(FNV1a.hash("\(workload.cluster)/\(workload.namespace)/\(workload.kind.rawValue)/\(workload.name)") % UInt64(max(1, shards)))
    }

    /// The workloads among `workloads` whose shard is in `owned`.
    public static func owned(_ workloads: [WorkloadID], shards: Int, owned: Set<Int>) -> [WorkloadID] {
        workloads.filter { owned.contains(shard(of: $0, shards: shards)) }
    }
}

/// The shards one replica of `serve --replicas-shard` holds: it advises the workloads of these
/// shards only, so replicas holding disjoint shards advise every workload once between them.
public struct ShardSelection: Sendable, Hashable {
    public var shards: Int
    public var owned: Set<Int>

    public init(shards: Int, owned: Set<Int>) {
        self.shards = max(1, shards)
        self.owned = owned
    }

    /// Whether `workload` is in one of the owned shards.
    public func contains(_ workload: WorkloadID) -> Bool {
        owned.contains(ShardMap.shard(of: workload, shards: shards))
    }
}
