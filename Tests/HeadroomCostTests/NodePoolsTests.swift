import HeadroomCore
import HeadroomCost
import Testing

/// The one pool-fallback rule, and what it means for allocation.
@Suite struct NodePoolsTests {
    static func node(_ name: String, pool: String?) -> NodeRecord {
        NodeRecord(name: name, nodePool: pool, instanceType: "m6i.large",
                   allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 1930), memory: MemoryQuantity(bytes: 7 << 30)),
                   capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: MemoryQuantity(bytes: 8 << 30)))
    }
    static let catalog = PriceCatalog(nodeTypes: [CatalogNodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, onDemand: 96_000)],
                                      units: .openCostDefaults)

    @Test("declared pool with nodes, else the unlabelled nodes' pool, else the only pool, else none", arguments: [
        (["backend", "data"], "data", "data"),
        (["backend", "data"], "frontend", nil),
        (["backend", "data"], nil, nil),
        ([nil, "data"], "frontend", "default"),
        ([nil], "backend", "default"),
        (["backend"], nil, "backend"),
    ] as [([String?], String?, String?)])
    func rule(pools: [String?], declared: String?, charged: String?) {
        let nodes = pools.enumerated().map { Self.node("n\($0.offset)", pool: $0.element) }
        #expect(NodePools(nodes).pool(forDeclared: declared) == charged)
    }

    @Test("nodes without a pool label: the containers share their cost, nothing is charged twice at unit prices")
    func unlabelledCluster() {
        let nodes = [Self.node("a", pool: nil), Self.node("b", pool: nil)]
        func usage(_ name: String, pool: String?) -> ContainerUsageHours {
            let id = ContainerID(namespace: "shop", kind: .deployment, workload: name, container: name)
            let declared = InventoryRecord(container: id, observedAt: 0, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: .gibibyte),
                                           replicas: 2, nodePool: pool)
            return ContainerUsageHours(container: id, pool: pool, cpuPerPod: [100, 100], memoryPerPod: [1e8, 1e8], declared: [declared, declared])
        }
        let result = CostAllocator.allocate(start: 0, hours: 2, nodes: nodes, containers: [usage("web", pool: nil), usage("api", pool: "backend")],
                                            catalog: Self.catalog)
        #expect(result.pools == ["default"] && result.containerPools == ["default", "default"])
        let nodeCost = result.allocation.pools[0].reduce(0) { $0 + $1.nodeCost }
        let idle = result.allocation.pools[0].reduce(0) { $0 + $1.idle }
        let charged = result.allocation.containers.flatMap { $0 }.reduce(0) { $0 + $1.cpu + $1.ram }
        #expect(nodeCost == 2 * 2 * 96_000, "two nodes, two hours")
        #expect(charged + idle == nodeCost, "containers + idle = node cost: nothing charged outside the nodes")
        #expect(idle < nodeCost && charged > 0)
    }
}
