import HeadroomRecommend
import Testing

@Suite struct PodRequestsTests {
    typealias Container = PodRequests.Container

    @Test("app containers plus sidecars, or the largest init container plus the sidecars started before it, per resource")
    func rule() {
        // App 100m; init 20m; sidecar 50m → 150m. Memory: app 100, a 500 init after a 50 sidecar → 550.
        let requests = PodRequests.of(containers: [Container(cpuMillicores: 100, memoryBytes: 100)],
                                      initContainers: [Container(cpuMillicores: 20, memoryBytes: 10),
                                                       Container(cpuMillicores: 50, memoryBytes: 50, restartable: true),
                                                       Container(cpuMillicores: 10, memoryBytes: 500)])
        #expect(requests.cpuMillicores == 150 && requests.memoryBytes == 550)
        // A large init container alone dominates the app containers.
        #expect(PodRequests.of(containers: [Container(cpuMillicores: 100, memoryBytes: 1)], initContainers: [Container(cpuMillicores: 2_000, memoryBytes: 1)]).cpuMillicores == 2_000)
    }
}

@Suite struct LongTerminatingPodTests {
    @Test("a deleted pod counts until its grace period plus 30 s have passed, then leaves the node's utilization")
    func terminating() throws {
        let running = NodeUtilization.Pod(cpuMillicores: 500, memoryBytes: 1, kind: .regular)
        let deleted = NodeUtilization.Pod(cpuMillicores: 500, memoryBytes: 1, kind: .regular, deletedAt: 1_000, terminationGracePeriodSeconds: 60)
        func utilization(at now: Double) throws -> Double {
            try NodeUtilization.utilization(allocatableCPU: 1_000, allocatableMemory: 100, pods: [running, deleted], skipDaemonSets: false,
                                            skipMirrors: false, now: now).cpu
        }
        #expect(try utilization(at: 1_090) == 1.0)   // exactly grace + 30 s: still counted
        #expect(try utilization(at: 1_091) == 0.5)
    }
}

@Suite struct HostPortBinpackingTests {
    let estimator = BinpackingEstimator(node: .init(cpuMillicores: 1_000, memoryBytes: 5_000, maxPods: 10))

    @Test("pods binding one host port need a node each; another port or protocol shares; distinct addresses share, a wildcard clashes")
    func ports() {
        let port = BinpackingEstimator.HostPort(port: 5555)
        #expect(estimator.estimate([.init(count: 8, cpuMillicores: 100, memoryBytes: 10, hostPorts: [port])]).nodeCount == 8)
        let other = estimator.estimate([.init(count: 2, cpuMillicores: 100, memoryBytes: 10, hostPorts: [port]),
                                        .init(count: 2, cpuMillicores: 100, memoryBytes: 10, hostPorts: [.init(port: 5555, protocolName: "UDP")])])
        #expect(other.nodeCount == 2 && other.scheduledPods == 4)
        #expect(!BinpackingEstimator.HostPort(port: 80, hostIP: "10.0.0.1").conflicts(with: .init(port: 80, hostIP: "10.0.0.2")))
        #expect(BinpackingEstimator.HostPort(port: 80, hostIP: "10.0.0.1").conflicts(with: .init(port: 80)))
        // The fastpath agrees: one such pod per node.
        #expect(estimator.estimateWithFastpath([.init(count: 8, cpuMillicores: 100, memoryBytes: 10, hostPorts: [port])])?.nodeCount == 8)
    }
}

@Suite struct TopologySpreadSkewTests {
    let estimator = BinpackingEstimator(node: .init(cpuMillicores: 4_000, memoryBytes: 1 << 30, maxPods: 110))

    @Test("per host, maxSkew 2 and minDomains 2: two pods on the first node (one domain counts as minimum 0), then the second node runs ahead by at most 2")
    func perHost() {
        // Upstream's rule, by hand: n1 takes 2 (skew against 0); a third would make 3; n2 opens
        // (two domains: minimum 0), then n2 may lead the minimum by 2: [2, 4] holds all 6.
        let spread = BinpackingEstimator.TopologySpread(perHost: true, maxSkew: 2, minDomains: 2)
        let result = estimator.estimate([.init(count: 6, cpuMillicores: 10, memoryBytes: 1, spread: spread)])
        #expect(result.nodeCount == 2 && result.scheduledPods == 6)
    }

    @Test("by zone, maxSkew 3 with an existing empty zone: only 3 pods fit the template's zone")
    func zonal() {
        let spread = BinpackingEstimator.TopologySpread(perHost: false, maxSkew: 3, existingDomains: ["zone-b"], templateDomain: "zone-a")
        let result = estimator.estimate([.init(count: 8, cpuMillicores: 10, memoryBytes: 1, spread: spread)])
        #expect(result.nodeCount == 1 && result.scheduledPods == 3)
    }
}
