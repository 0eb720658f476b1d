import HeadroomRecommend
import Testing

/// Cluster Autoscaler building blocks on small cases worked out by hand from the documented rules.
@Suite struct ClusterAutoscalerTests {
    let node = BinpackingEstimator.NodeShape(cpuMillicores: 1000, memoryBytes: 4 << 30, maxPods: 10)

    @Test("binpacking: two 400m pods per 1000m node; pods-per-node binds small pods")
    func binpacking() {
        let estimate = BinpackingEstimator(node: node).estimate([.init(count: 7, cpuMillicores: 400, memoryBytes: 1 << 20)])
        #expect(estimate.nodeCount == 4 && estimate.scheduledPods == 7)
        let tiny = BinpackingEstimator(node: node).estimate([.init(count: 25, cpuMillicores: 1, memoryBytes: 1)])
        #expect(tiny.nodeCount == 3)  // 10 pods per node
    }

    @Test("binpacking: big pods first, small ones fill the gaps; the node limit caps the estimate")
    func decreasingOrder() {
        let groups: [BinpackingEstimator.PodGroup] = [.init(count: 4, cpuMillicores: 100, memoryBytes: 0), .init(count: 3, cpuMillicores: 600, memoryBytes: 0)]
        let estimator = BinpackingEstimator(node: node)
        #expect(estimator.order(groups) == [1, 0])
        let estimate = estimator.estimate(groups)
        #expect(estimate.nodeCount == 3 && estimate.scheduledPods == 7)  // 600+4×100 / 600 / 600: first fit fills node 1
        let limited = BinpackingEstimator(node: node, maxNodes: 2).estimate(groups)
        #expect(limited.nodeCount == 2 && limited.scheduledPerGroup == [4, 2])
    }

    @Test("topology spread: per-host skew 1 spreads pods over nodes; a zone with no room caps the count")
    func topologySpread() {
        let host = BinpackingEstimator.TopologySpread(perHost: true, maxSkew: 1, minDomains: 2)
        let spread = BinpackingEstimator(node: node).estimate([.init(count: 4, cpuMillicores: 10, memoryBytes: 1, spread: host)])
        #expect(spread.nodeCount == 2 && spread.scheduledPods == 4)  // 2 + 2, never 2 ahead of the emptiest host
        // New nodes land in zone a; zone b exists with no matching pods: skew 1 allows one pod.
        let zone = BinpackingEstimator.TopologySpread(perHost: false, maxSkew: 1, existingDomains: ["b"], templateDomain: "a")
        let capped = BinpackingEstimator(node: node).estimate([.init(count: 4, cpuMillicores: 10, memoryBytes: 1, spread: zone)])
        #expect(capped.nodeCount == 1 && capped.scheduledPods == 1)
    }

    @Test("a pod larger than the node schedules nowhere and adds no node")
    func oversized() {
        let estimate = BinpackingEstimator(node: node).estimate([.init(count: 2, cpuMillicores: 1500, memoryBytes: 0)])
        #expect(estimate.nodeCount == 0 && estimate.scheduledPods == 0)
    }

    @Test("expanders keep the best options, ties included")
    func expanders() {
        #expect(Expanders.mostPods([("a", 3), ("b", 5), ("c", 5)]) == ["b", "c"])
        #expect(Expanders.leastNodes([("a", 0), ("b", 2), ("c", 3)]) == ["b"])
        #expect(Expanders.priority(["x.large", "y.small"], priorities: [10: [".*large"], 1: [".*small"]]) == ["x.large"])
        #expect(Expanders.priority(["x", "y"], priorities: [:]) == ["x", "y"])
        // 1000m node with 900m of pods wastes less than a 4000m node with the same pods.
        #expect(Expanders.leastWaste([("small", 1000, 1 << 30, 1, 900, 1 << 29), ("big", 4000, 1 << 30, 1, 900, 1 << 29)]) == ["small"])
        #expect(Expanders.unfitness(preferredCPU: 2000, nodeCPU: 8000) == 4)
        #expect(Expanders.preferredNode(clusterNodeCount: 10).cores == 4)
    }

    @Test("utilization is max(cpu, memory); skipped DaemonSet pods leave allocatable too")
    func utilization() throws {
        let pods = [NodeUtilization.Pod(cpuMillicores: 300, memoryBytes: 100, kind: .regular),
                    NodeUtilization.Pod(cpuMillicores: 200, memoryBytes: 100, kind: .daemonSet)]
        let all = try NodeUtilization.utilization(allocatableCPU: 1000, allocatableMemory: 1000, pods: pods, skipDaemonSets: false, skipMirrors: false)
        #expect(all.utilization == 0.5)
        let skipped = try NodeUtilization.utilization(allocatableCPU: 1000, allocatableMemory: 1000, pods: pods, skipDaemonSets: true, skipMirrors: false)
        #expect(skipped.cpu == 300.0 / 800)
        #expect(NodeUtilization.isUnderutilized(0.5, threshold: 0.5))
        #expect(throws: NodeUtilization.Failure.self) {
            try NodeUtilization.utilization(allocatableCPU: 1000, allocatableMemory: nil, pods: pods, skipDaemonSets: false, skipMirrors: false)
        }
    }
}
