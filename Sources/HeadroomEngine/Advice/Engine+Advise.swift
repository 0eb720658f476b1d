import HeadroomCore
import HeadroomCost
import HeadroomHistory
import HeadroomRecommend

extension Engine {
    /// Requests, limits, HPAs and node plans for the stored containers, each configuration's
    /// risk replayed over the last window and priced at the rates allocation charges in its pool
    /// (the catalog's unit prices where a pool has no priced nodes); pools planned on the
    /// catalog's node types at the user's terms.
    public func advise(_ options: AdviceOptions, catalog: PriceCatalog, progress: ProgressHandler? = nil) async throws -> AdviceReport {
        guard let range = try store.usageTimeRange(cluster: cluster) else { throw EngineError.noUsage }
        let end = range.upperBound + 300
        let inventory = Dictionary(try store.latestInventory(asOf: end, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let containers = try store.containers(cluster: cluster).filter { options.namespaces.isEmpty || options.namespaces.contains($0.workload.namespace) }
        var advisor = ContainerAdvisor(strategy: options.strategy, replaySteps: Int(options.replaySeconds / 300), overrides: options.overrides)
        advisor.includeHPA = options.includeHPA
        let (rows, skipped) = try await AdvicePipeline.advise(store, .init(
            containers: containers, inventory: inventory, ooms: try store.events(kind: .oomKilled, cluster: cluster), start: end - options.historySeconds, end: end,
            advisor: advisor, jobs: options.jobs), progress: progress)

        let nodes = try store.latestNodes(cluster: cluster)
        let poolRates = ResourceRates.perPool(catalog.price(nodes), units: catalog.units)
        let nodePools = NodePools(nodes)
        let unitRates = ResourceRates(units: catalog.units)
        let priced = rows.map { row in
            PricedContainerAdvice.price(row, at: nodePools.pool(forDeclared: inventory[row.container]?.nodePool).flatMap { poolRates[$0] } ?? unitRates)
        }
        var pools: [PoolAdvice] = []
        if options.planPools {
            let types = catalog.planningTypes(NodeCatalog.awsUSEast1.map(\.name))
            pools = PoolAdvisor(catalog: types, extraOverhead: options.daemonSetOverhead, reserve: options.reserve,
                                hoursPerMonth: catalog.units.hoursPerMonth).plans(rows, inventory: inventory)
        }
        return AdviceReport(windowEnd: end, strategy: options.strategy.rawValue, prices: catalog.termsLabel, containers: priced, pools: pools, skipped: skipped)
    }
}
