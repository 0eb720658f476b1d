import HeadroomCore
import HeadroomCost
import HeadroomRecommend

/// The largest node each container could run on, the bound no request may cross: the largest
/// allocatable CPU and memory among the nodes of its declared pool, or, for a pool without
/// nodes on record, among the catalog's node types.
struct LargestNodes: Sendable {
    let byPool: [String: SizingPolicy.LargestNode]
    let pools: NodePools
    let catalog: SizingPolicy.LargestNode?

    init(nodes: [NodeRecord], catalog types: [NodeType]) {
        pools = NodePools(nodes)
        var byPool: [String: SizingPolicy.LargestNode] = [:]
        for (pool, members) in Dictionary(grouping: nodes, by: NodePools.name(of:)) {
            let cpu = members.compactMap(\.allocatable.cpu).max()
            let memory = members.compactMap(\.allocatable.memory).max()
            guard cpu != nil || memory != nil else { continue }
            byPool[pool] = .init(allocatable: ResourceAmounts(cpu: cpu, memory: memory), source: "pool \(pool)")
        }
        self.byPool = byPool
        let largestCPU = types.max { ($0.allocatable.cpu ?? .zero) < ($1.allocatable.cpu ?? .zero) }
        let largestMemory = types.max { ($0.allocatable.memory ?? .zero) < ($1.allocatable.memory ?? .zero) }
        if let largestCPU, let largestMemory {
            let source = largestCPU.name == largestMemory.name ? "catalog: \(largestCPU.name)" : "catalog: \(largestCPU.name), \(largestMemory.name)"
            catalog = .init(allocatable: ResourceAmounts(cpu: largestCPU.allocatable.cpu, memory: largestMemory.allocatable.memory), source: source)
        } else {
            catalog = nil
        }
    }

    /// The bound for a container, from its declared pool.
    var resolver: @Sendable (InventoryRecord?) -> SizingPolicy.LargestNode? {
        let (byPool, pools, catalog) = (byPool, pools, catalog)
        return { record in pools.pool(forDeclared: record?.nodePool).flatMap { byPool[$0] } ?? catalog }
    }
}
