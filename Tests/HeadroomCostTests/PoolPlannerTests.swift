import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomRecommend
import Testing

@Suite struct PoolPlannerTests {
    @Test("allocatable matches Karpenter's documented EKS figures")
    func allocatable() throws {
        let xlarge = try #require(NodeCatalog.awsUSEast1.first { $0.name == "m6i.xlarge" }).allocatable
        #expect(xlarge.cpu?.millicores == 3920 && xlarge.memory?.bytes == 14162 << 20)
        let large = try #require(NodeCatalog.awsUSEast1.first { $0.name == "m6i.large" }).allocatable
        #expect(large.cpu?.millicores == 1930 && large.memory?.bytes == 6903 << 20)
    }

    @Test("the cheapest fitting type wins, fewer nodes on a price tie, never below the lower bound")
    func cheapest() throws {
        // 8 pods of 900m / 1Gi: CPU binds. 4 × c6i.large (2 pods each), 2 × c6i.xlarge and
        // 1 × c6i.2xlarge (7910m) all cost $0.34/h; the single node wins the tie.
        let plan = try PoolPlanner.plan([.init(name: "api", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 900), memory: .gibibyte), count: 8)], catalog: NodeCatalog.awsUSEast1)
        #expect(plan.nodeType == "c6i.2xlarge" && plan.nodes == 1 && plan.lowerBound == 1)
        #expect(plan.monthlyMicrodollars == 340_000 * 730)
        // Restricted to the large sizes, CPU needs 4 nodes: ceil(7200 / 1930) = 4 is also the bound.
        let large = try PoolPlanner.plan([.init(name: "api", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 900), memory: .gibibyte), count: 8)],
                                         catalog: NodeCatalog.awsUSEast1.filter { $0.name.hasSuffix(".large") })
        #expect(large.nodeType == "c6i.large" && large.nodes == 4 && large.lowerBound == 4)
    }

    @Test("multi-zone pools get a multiple of their zones")
    func zones() throws {
        let plan = try PoolPlanner.plan([.init(name: "web", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 100), memory: .mebibyte), count: 2)], zones: 3, catalog: NodeCatalog.awsUSEast1)
        #expect(plan.nodes == 3)
    }

    @Test("DaemonSet overhead and the reserve shrink each node; the lower bound uses what is left")
    func overheadAndReserve() throws {
        let large = NodeCatalog.awsUSEast1.filter { $0.name == "m6i.large" }  // 1930m, 6903Mi allocatable
        let pods: [PoolPlanner.PodSpec] = [.init(name: "api", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 900), memory: .gibibyte), count: 4)]
        // Bare: two pods per node, 2 nodes.
        #expect(try PoolPlanner.plan(pods, catalog: large).nodes == 2)
        // 200m of DaemonSets leaves 1730m: still two 900m pods? No, 1800m > 1730m: one per node.
        let withAgents = try PoolPlanner.plan(pods, daemonSetOverhead: ResourceAmounts(cpu: CPUQuantity(millicores: 200), memory: MemoryQuantity(bytes: 256 << 20)),
                                              daemonSetPods: 2, catalog: large)
        #expect(withAgents.nodes == 4 && withAgents.lowerBound == 3)  // ceil(3600 / 1730) = 3
        // A 10 % reserve leaves 1737m: the same one pod per node; the bound is ceil(3600 / 1737) = 3.
        let reserved = try PoolPlanner.plan(pods, reserve: 0.1, catalog: large)
        #expect(reserved.nodes == 4 && reserved.lowerBound == 3)
        #expect(abs(reserved.cpuEfficiency - 3600.0 / (4 * 1737)) < 1e-9)
        // Overhead larger than the node: a clear error, not an empty plan.
        #expect(throws: PoolPlanner.Failure.self) {
            try PoolPlanner.plan(pods, daemonSetOverhead: ResourceAmounts(cpu: CPUQuantity(millicores: 2000)), catalog: large)
        }
    }

    @Test("a pod larger than every node type is an error naming it")
    func oversized() {
        #expect(throws: PoolPlanner.Failure.self) {
            try PoolPlanner.plan([.init(name: "huge", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 64_000)), count: 1)], catalog: NodeCatalog.awsUSEast1)
        }
    }

    @Test("models/pricing/nodes-aws-us-east-1.yaml lists the built-in catalog")
    func catalogFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("models/pricing/nodes-aws-us-east-1.yaml"), encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.contains("{name:") }
        #expect(rows.count == NodeCatalog.awsUSEast1.count)
        for type in NodeCatalog.awsUSEast1 {
            let price = String(format: "%g", Double(type.microdollarsPerHour) / 1e6)
            #expect(rows.contains { $0.contains("name: \(type.name),") && $0.contains("vcpu: \(type.vcpu),") && $0.contains("memoryGiB: \(type.memoryGiB),")
                && $0.contains("maxPods: \(type.maxPods),") && $0.contains("usdPerHour: \(price)}") }, "\(type.name)")
        }
    }
}
