import HeadroomCore
import HeadroomCost
import HeadroomHistory

extension Engine {
    /// Allocates each hour of the window (`sinceSeconds` back from the end of the stored usage,
    /// in whole hours) to containers and idle, without storing anything.
    public func allocation(sinceSeconds: Int64, catalog: PriceCatalog, cache: UsageHoursCache? = nil) async throws -> (start: Int64, hours: Int, result: CostAllocationResult) {
        try await allocation(sinceSeconds: sinceSeconds, catalog: catalog, cache: cache, shared: nil)
    }

    func allocation(sinceSeconds: Int64, catalog: PriceCatalog, cache: UsageHoursCache?, shared: SharedUsageReads?) async throws -> (start: Int64, hours: Int, result: CostAllocationResult) {
        let nodes = try await store.latestNodes(cluster: cluster)
        guard !nodes.isEmpty else {
            throw EngineError(.missingData, "the store has no nodes: collect from the Kubernetes API or import kube-state-metrics (kube_node_*) first")
        }
        let (start, hours) = try await allocationWindow(since: sinceSeconds)
        let usage = try await usageHours(start: start, hours: hours, cache: cache, shared: shared)
        let result = CostAllocator.allocate(start: start, hours: hours, nodes: nodes, containers: usage, volumes: try await store.latestVolumes(cluster: cluster),
                                            catalog: catalog)
        return (start, hours, result)
    }

    /// Allocates the window and replaces its days in the store, in one transaction: re-running
    /// stores nothing twice.
    public func allocate(sinceSeconds: Int64, catalog: PriceCatalog) async throws -> AllocationSummary {
        let (start, hours, result) = try await allocation(sinceSeconds: sinceSeconds, catalog: catalog)
        let rows = result.storedRows
        let days = result.allocation.days
        try await store.replaceDailyCosts(cluster: cluster, from: days.first ?? start, to: (days.last ?? start) + 86_400, containers: rows.containers, pools: rows.pools,
                                    unattachedVolumes: rows.volumes)
        return AllocationSummary(
            start: start, hours: hours, days: days.count,
            nodes: result.pricedNodes.map { .init(name: $0.node.name, pool: NodePools.name(of: $0.node), instanceType: $0.node.instanceType,
                                                  hourlyMicrodollars: $0.hourly, basis: $0.basis) },
            pools: rows.pools, containers: rows.containers, unattachedVolumeMicrodollars: rows.volumes.reduce(0) { $0 + $1.microdollars })
    }
}
