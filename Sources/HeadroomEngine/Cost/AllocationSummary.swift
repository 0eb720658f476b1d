import HeadroomCore
import HeadroomCost

/// What `cost allocate` answers: the window, the priced nodes and the stored rows.
public struct AllocationSummary: Sendable, Encodable {
    public struct Node: Sendable, Encodable {
        public var name: String
        public var pool: String
        public var instanceType: String?
        public var hourlyMicrodollars: Int64
        public var basis: String
    }
    public var start: Int64
    public var hours: Int
    public var days: Int
    public var nodes: [Node]
    public var pools: [StoredPoolCost]
    public var containers: [StoredContainerCost]
    public var unattachedVolumeMicrodollars: Int64

    /// One pool over the window: its node cost, what its containers were charged, and idle.
    public struct PoolTotal: Sendable, Hashable {
        public var pool: String
        public var nodes: Int
        public var nodeMicrodollars: Int64
        public var allocatedMicrodollars: Int64
        public var idleMicrodollars: Int64
    }

    /// Per pool with nodes, by name: node cost = allocated + idle, to the micro-dollar.
    public var poolTotals: [PoolTotal] {
        var totals: [String: PoolTotal] = [:]
        for row in pools {
            totals[row.pool, default: PoolTotal(pool: row.pool, nodes: nodes.filter { $0.pool == row.pool }.count, nodeMicrodollars: 0,
                                                 allocatedMicrodollars: 0, idleMicrodollars: 0)].nodeMicrodollars += row.nodeMicrodollars
            totals[row.pool]!.idleMicrodollars += row.idleCPUMicrodollars + row.idleRAMMicrodollars
        }
        for row in containers { if let pool = row.pool, totals[pool] != nil { totals[pool]!.allocatedMicrodollars += row.cpuMicrodollars + row.ramMicrodollars } }
        return totals.values.sorted { $0.pool < $1.pool }
    }

    /// CPU and RAM charged at unit prices to containers no priced pool takes.
    public var unpricedMicrodollars: Int64 {
        let priced = Set(pools.map(\.pool))
        return containers.filter { $0.pool.map { !priced.contains($0) } ?? true }.reduce(0) { $0 + $1.cpuMicrodollars + $1.ramMicrodollars }
    }

    /// Volume cost charged to the workloads that mount them.
    public var mountedVolumeMicrodollars: Int64 { containers.reduce(0) { $0 + $1.pvMicrodollars } }
}
