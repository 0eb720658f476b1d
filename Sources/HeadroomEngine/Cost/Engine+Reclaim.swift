import HeadroomCore
import HeadroomCost
import HeadroomHistory
import HeadroomManifests
import HeadroomRecommend

/// What `reclaim` is asked.
public struct ReclaimOptions: Sendable {
    public var catalog: PriceCatalog
    /// Days of near-zero CPU that make a workload idle.
    public var idleDays = 7
    /// Smallest monthly saving worth an item.
    public var minimumSaving: Microdollars = 1_000_000
    public var overrides = SizingOverrides()
    public var jobs = 1

    public init(catalog: PriceCatalog) {
        self.catalog = catalog
    }
}

extension Engine {
    /// The reclamation plan from stored costs, usage, advise's default requests and the
    /// priced nodes. Reads only (recording the plan in the audit table is the caller's step).
    public func reclaim(_ options: ReclaimOptions) async throws -> ReclaimPlan {
        guard let costRange = try await store.costDayRange(cluster: cluster) else { throw EngineError.noCosts }
        let costFrom = max(costRange.lowerBound, costRange.upperBound - Int64(options.idleDays - 1) * 86_400)
        return try await reclaimPlan(options, costs: try await store.containerCosts(from: costFrom, to: costRange.upperBound + 86_400, cluster: cluster),
                                     costDays: Array(stride(from: costFrom, through: costRange.upperBound, by: 86_400)), advice: nil)
    }

    /// The plan over given daily rows (the last `idleDays` of them); `advice` (without HPA
    /// replays or with, the requests are the same) saves advising the candidates again.
    func reclaimPlan(_ options: ReclaimOptions, costs: [StoredContainerCost], costDays: [Int64], advice given: [ContainerAdvice]?,
                     recentCPU cache: RecentCPUCache? = nil, shared: SharedUsageReads? = nil) async throws -> ReclaimPlan {
        guard let usageRange = try await store.usageTimeRange(cluster: cluster) else { throw EngineError.noUsage }
        let end = usageRange.upperBound + 300
        let inventory = Dictionary(try await store.latestInventory(asOf: nil, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let containers = try await store.containers(cluster: cluster)
        let means = try await recentCPU(containers.filter { $0.workload.kind != .daemonSet }, from: end - Int64(options.idleDays) * 86_400, to: end, cache: cache, shared: shared)
        let activity = means.mapValues { CPUActivity(means: $0) }
        let idle = ReclaimPlanner.idleWorkloads(activity)
        let candidates = Set(containers.filter { !idle.contains($0.workload) && $0.workload.kind != .daemonSet })
        let advice: [ContainerAdvice]
        if let given {
            advice = given.filter { candidates.contains($0.container) }
        } else {
            advice = try await quickAdvice(for: candidates, inventory: inventory, overrides: options.overrides, catalog: options.catalog, jobs: options.jobs)
        }
        var plan = ReclaimPlanner.plan(.init(
            costs: costs, costDays: costDays, containers: containers, inventory: inventory,
            catalog: options.catalog, pricedNodes: options.catalog.price(try await store.latestNodes(cluster: cluster)), volumes: try await store.latestVolumes(cluster: cluster),
            activity: activity, advice: advice, idleDays: options.idleDays, minimumSaving: options.minimumSaving))
        let byWorkload = Dictionary(grouping: advice, by: \.container.workload)
        for index in plan.items.indices {
            guard let workload = plan.items[index].workload, let rows = byWorkload[workload] else { continue }
            plan.items[index].patch = WorkloadManifests.patch(workload, rows).render()
        }
        return plan
    }
}
