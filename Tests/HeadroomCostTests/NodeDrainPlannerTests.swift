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

/// Reclamation's drain plans leave room for the DaemonSets, as advise's node plans do.
@Suite struct DrainDaemonSetTests {
    @Test("a DaemonSet taking 400m off every node keeps two of three nodes where the pods alone would fit one")
    func daemonSetsKeepRoom() throws {
        let type = NodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, microdollarsPerHour: 96_000)
        let catalog = NodeDrainPlannerTests.catalog
        let nodes = catalog.price((0..<3).map {
            NodeRecord(name: "n\($0)", nodePool: "web", zone: "a", instanceType: "m6i.large", allocatable: type.allocatable,
                       capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: MemoryQuantity(bytes: 8 << 30)))
        })
        let web = ContainerID(namespace: "shop", kind: .deployment, workload: "web", container: "web")
        let agent = ContainerID(namespace: "kube-system", kind: .daemonSet, workload: "agent", container: "agent")
        func plan(_ inventory: [InventoryRecord]) -> ReclaimPlan {
            ReclaimPlanner.plan(.init(
                costs: [], costDays: [0], containers: inventory.map(\.container), inventory: Dictionary(uniqueKeysWithValues: inventory.map { ($0.container, $0) }),
                catalog: catalog, pricedNodes: nodes, volumes: [], activity: [:], advice: [], idleDays: 7, minimumSaving: 1))
        }
        let pods = InventoryRecord(container: web, observedAt: 0, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 600), memory: .gibibyte),
                                   replicas: 3, nodePool: "web")
        let daemonSet = InventoryRecord(container: agent, observedAt: 0, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 400), memory: .mebibyte.scaled(by: 256)),
                                        replicas: 3, nodePool: nil)
        let alone = try #require(plan([pods]).items.first { $0.kind == .drainNodes })
        #expect(alone.target == "pool web: n1, n2", "3 × 600m fit one 1930m node")
        let beside = try #require(plan([pods, daemonSet]).items.first { $0.kind == .drainNodes })
        #expect(beside.target == "pool web: n2", "with 400m per node for the DaemonSet, two pods fit a node: two nodes stay")
        #expect(beside.evidence.contains("beside 1 DaemonSet pod(s) per node (400m / 256Mi)"), "\(beside.evidence)")
    }
}
