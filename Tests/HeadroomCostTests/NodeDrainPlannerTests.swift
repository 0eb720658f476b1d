import HeadroomCore
@testable import HeadroomCost
import HeadroomRecommend
import Testing

@Suite struct NodeDrainPlannerTests {
    static let catalog = PriceCatalog(nodeTypes: [CatalogNodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, onDemand: 96_000)], units: .openCostDefaults)

    func nodes(_ count: Int, zones: [String]) -> [PricedNode] {
        let type = NodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, microdollarsPerHour: 96_000)
        let records = (0..<count).map { index in
            NodeRecord(name: "n\(index)", nodePool: "web", zone: zones[index % zones.count], instanceType: "m6i.large", allocatable: type.allocatable,
                       capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: MemoryQuantity(bytes: 8 << 30)))
        }
        return Self.catalog.price(records)
    }

    @Test("six nodes running what two hold: four drained, the last by name, at their price")
    func drainsSurplus() throws {
        let pods = [PoolPlanner.PodSpec(name: "web", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 400), memory: MemoryQuantity(bytes: 1 << 30)), count: 8)]
        let drain = try #require(NodeDrainPlanner.plan(pool: "web", nodes: nodes(6, zones: ["a", "b"]), pods: pods, zones: 2, catalog: Self.catalog))
        // 8 × 400m = 3.2 cores over 1930m nodes: 2 nodes, a multiple of the 2 zones.
        #expect(drain.keep == 2 && drain.nodes == ["n2", "n3", "n4", "n5"])
        #expect(drain.monthlySaving == 4 * 96_000 * 730)
    }

    @Test("a pool that is already tight, or spread over zones it needs, keeps every node")
    func keepsNeeded() {
        let pods = [PoolPlanner.PodSpec(name: "web", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 900), memory: MemoryQuantity(bytes: 1 << 30)), count: 4)]
        #expect(NodeDrainPlanner.plan(pool: "web", nodes: nodes(2, zones: ["a"]), pods: pods, zones: 1, catalog: Self.catalog) == nil)
        let small = [PoolPlanner.PodSpec(name: "web", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 100), memory: .mebibyte), count: 1)]
        #expect(NodeDrainPlanner.plan(pool: "web", nodes: nodes(3, zones: ["a", "b", "c"]), pods: small, zones: 3, catalog: Self.catalog) == nil)
    }
}
