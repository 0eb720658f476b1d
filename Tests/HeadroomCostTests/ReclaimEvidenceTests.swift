import HeadroomCore
import HeadroomCost
import HeadroomRecommend
import Testing

/// Reclamation items say what their figures stand on.
@Suite struct ReclaimEvidenceTests {
    static func plan(replayedBuckets: Int) -> ReclaimPlan {
        let id = ContainerID(namespace: "shop", kind: .deployment, workload: "web", container: "web")
        let risk = ReplayedRisk(cpuPressureMinutes: 0, oomBuckets: 0, cpuSlackMillicores: 0, memorySlackBytes: 0)
        let advice = ContainerAdvice(
            container: id, replicas: 4,
            current: SizedConfiguration(requests: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: .gibibyte.scaled(by: 4)), limits: .none, risk: risk),
            recommended: SizedConfiguration(requests: ResourceAmounts(cpu: CPUQuantity(millicores: 200), memory: .gibibyte), limits: .none, risk: risk),
            vpaBounds: nil, hpa: nil, models: [], replayedBuckets: replayedBuckets, notes: [])
        let inventory = InventoryRecord(container: id, observedAt: 0, requests: advice.current.requests, replicas: 4, nodePool: "web")
        return ReclaimPlanner.plan(.init(costs: [], costDays: [0], containers: [id], inventory: [id: inventory],
                                         catalog: PriceCatalog(nodeTypes: [], units: .openCostDefaults), pricedNodes: [], volumes: [],
                                         activity: [:], advice: [advice], idleDays: 7, minimumSaving: 1))
    }

    @Test("the replay window in the evidence is the one the history allowed", arguments: [
        (2016, "replayed over 7 days:"), (576, "replayed over 2 days:"), (540, "replayed over 45 hours:"), (1800, "replayed over 6.2 days:"),
    ])
    func replayWindow(buckets: Int, phrase: String) throws {
        let item = try #require(Self.plan(replayedBuckets: buckets).items.first { $0.kind == .overProvisioned })
        #expect(item.risk.hasPrefix(phrase), "\(item.risk)")
    }
}
