import HeadroomCore
import HeadroomCost
import HeadroomHistory
import HeadroomRecommend

extension Engine {
    /// The assessment of the engine's cluster at `now`: advice per container, HPA advice per
    /// workload, node plans per pool, the allocation of the window (computed, not stored),
    /// budgets and the reclamation plan over that allocation, and the data's freshness. Reads
    /// the store only (but for the advice cache, with `AdviceOptions.reuse`); every part is computed by the same code as the command that shows it
    /// (`advise`, `cost allocate` + `cost report`, `budget check`, `reclaim`).
    public func assess(_ configuration: AssessmentConfiguration, now: Int64, progress: ProgressHandler? = nil) async throws -> Assessment {
        // The usage the advice reads serves the allocation and the idle rule too.
        let sharing = configuration.shareReads ? SharedUsageReads(recentSeconds: Int64(configuration.idleDays) * 86_400) : nil
        let advice = try await advise(configuration.advice, catalog: configuration.catalog, progress: progress, sharing: sharing)
        let rows = advice.containers.map(\.advice)

        let (_, hours, result) = try await allocation(sinceSeconds: configuration.allocationSeconds, catalog: configuration.catalog,
                                                cache: configuration.usageHours, shared: sharing)
        let stored = result.storedRows
        let days = result.allocation.days
        guard let firstDay = days.first, let lastDay = days.last else { throw EngineError.noUsage }
        let inventory = Dictionary(try await store.latestInventory(asOf: nil, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        var allocation = allocationAssessment(stored, from: firstDay, to: lastDay + 86_400, hours: hours,
                                              labels: inventory.mapValues(\.labels), options: configuration.costReport)
        allocation.daily = DailyNamespaceCost.of(stored.containers)
        allocation.efficiency = Self.efficiency(allocation.containers, advice: rows)

        let budgets = configuration.budgets.isEmpty ? nil
            : try await budgetReport(configuration.budgets, catalog: configuration.catalog, costs: stored.containers, days: firstDay...lastDay,
                               inventory: inventory, advice: rows)
        var reclaimOptions = ReclaimOptions(catalog: configuration.catalog)
        reclaimOptions.idleDays = configuration.idleDays
        reclaimOptions.minimumSaving = configuration.minimumSaving
        let costFrom = max(firstDay, lastDay - Int64(configuration.idleDays - 1) * 86_400)
        let reclamation = try await reclaimPlan(reclaimOptions, costs: stored.containers.filter { $0.day >= costFrom },
                                                costDays: Array(stride(from: costFrom, through: lastDay, by: 86_400)), advice: rows,
                                                recentCPU: configuration.recentCPU, shared: sharing)

        var skipped = advice.skipped.map { DataFreshness.Skipped(item: $0, reason: "no CPU or memory usage in the advice window") }
        for (container, pool) in zip(result.containers, result.containerPools) where pool == nil {
            skipped.append(.init(item: container.description, reason: "no priced node pool takes it (its pool \(inventory[container]?.nodePool ?? "is unknown")): charged at unit prices"))
        }
        skipped += store.takeWarnings().map { .init(item: "store \(store.location)", reason: $0) }
        let (current, recommended) = advice.containers.monthlyTotals
        let historyStart = advice.windowEnd - configuration.advice.historySeconds
        let oomKills = Dictionary(grouping: try await store.events(kind: .oomKilled, cluster: cluster).filter { $0.time >= historyStart && $0.time < advice.windowEnd },
                                  by: \.container).mapValues(\.count)
        let freshness = try await dataFreshness(now: now, skipped: skipped)
        return Assessment(
            metadata: .init(cluster: cluster, generatedAt: now, windowEnd: advice.windowEnd, strategy: advice.strategy,
                            historySeconds: configuration.advice.historySeconds, replaySeconds: configuration.advice.replaySeconds,
                            prices: configuration.catalog.termsLabel),
            totals: .init(containers: advice.containers.count, currentMonthlyMicrodollars: current, recommendedMonthlyMicrodollars: recommended,
                          allocatedMicrodollars: allocation.totalMicrodollars, reclaimableMonthlyMicrodollars: reclamation.monthlySaving,
                          budgetsViolated: budgets?.budgets.filter(\.isViolation).count ?? 0),
            containers: advice.containers.map {
                ContainerAssessment($0, oomKills: oomKills[$0.advice.container] ?? 0, labels: inventory[$0.advice.container]?.labels ?? [:])
            },
            workloads: advice.containers.compactMap { row in row.advice.hpa.map { WorkloadAssessment(workload: row.container.workload, hpa: $0) } },
            pools: advice.pools, allocation: allocation, budgets: budgets, reclamation: reclamation, freshness: freshness)
    }

    func allocationAssessment(_ rows: (containers: [StoredContainerCost], pools: [StoredPoolCost], volumes: [StoredVolumeCost]), from: Int64, to: Int64,
                              hours: Int, labels: [ContainerID: [String: String]], options: CostReport.Options) -> AllocationAssessment {
        func report(_ by: CostGrouping) -> CostReport {
            var grouped = options
            grouped.by = by
            return CostReport.build(from: from, to: to, containers: rows.containers, pools: rows.pools, volumes: rows.volumes, labels: labels, options: grouped)
        }
        var perContainer: [ContainerID: AllocationAssessment.ContainerCost] = [:]
        for row in rows.containers {
            perContainer[row.container, default: .init(container: row.container, pool: row.pool, cpuMicrodollars: 0, ramMicrodollars: 0,
                                                       pvMicrodollars: 0, totalMicrodollars: 0)].cpuMicrodollars += row.cpuMicrodollars
            perContainer[row.container]!.ramMicrodollars += row.ramMicrodollars
            perContainer[row.container]!.pvMicrodollars += row.pvMicrodollars
            perContainer[row.container]!.totalMicrodollars += row.total
        }
        let byNamespace = report(.namespace)
        let byPool = report(.pool)
        let allocated = Dictionary(byPool.lines.map { ($0.name, $0.ownMicrodollars) }, uniquingKeysWith: +)
        let keys = Set(labels.values.flatMap(\.keys)).sorted()
        return AllocationAssessment(
            from: from, to: to, hours: hours, sharedNamespaces: byNamespace.sharedNamespaces, distribution: byNamespace.distribution,
            containers: perContainer.values.sorted { $0.container < $1.container }, namespaces: byNamespace.lines,
            pools: byNamespace.idle.map { .init(pool: $0.pool, nodeMicrodollars: $0.nodeMicrodollars,
                                                allocatedMicrodollars: $0.nodeMicrodollars - $0.idleMicrodollars, idleMicrodollars: $0.idleMicrodollars) }
                + allocated.filter { name, _ in !byNamespace.idle.contains { $0.pool == name } }.sorted { $0.key < $1.key }
                    .map { .init(pool: $0.key, nodeMicrodollars: 0, allocatedMicrodollars: $0.value, idleMicrodollars: 0) },
            labels: keys.map { .init(key: $0, lines: report(.label($0)).lines) },
            unattachedVolumes: byNamespace.unattachedVolumes, totalMicrodollars: byNamespace.totalMicrodollars)
    }

    /// Each container's allocated CPU and RAM cost weighted by its mean usage over requests in
    /// the replay window (request − the replay's mean slack, over the request).
    static func efficiency(_ costs: [AllocationAssessment.ContainerCost], advice: [ContainerAdvice]) -> [NamespaceEfficiency] {
        let byContainer = Dictionary(advice.map { ($0.container, $0) }, uniquingKeysWith: { first, _ in first })
        return NamespaceEfficiency.of(costs.map { cost in
            let row = byContainer[cost.container]
            func ratio(_ request: Double?, _ slack: Double?) -> Double? {
                guard let request, request > 0, let slack else { return nil }
                return (request - slack) / request
            }
            return NamespaceEfficiency.Part(
                namespace: cost.container.workload.namespace, cpuMicrodollars: cost.cpuMicrodollars, ramMicrodollars: cost.ramMicrodollars,
                cpuUsageOverRequest: ratio(row?.current.requests.cpu.map { Double($0.millicores) }, row?.current.risk.cpuSlackMillicores),
                memoryUsageOverRequest: ratio(row?.current.requests.memory.map { Double($0.bytes) }, row?.current.risk.memorySlackBytes))
        })
    }

    func dataFreshness(now: Int64, skipped: [DataFreshness.Skipped]) async throws -> DataFreshness {
        DataFreshness(
            sources: try await store.watermarks().map { .init(source: $0.source, lastSample: $0.watermark, ageSeconds: now - $0.watermark) },
            clusters: try await store.clusterFreshness().filter { $0.cluster == cluster }.map {
                .init(cluster: $0.cluster, containers: $0.containers, lastUsageBucket: $0.lastUsageBucket, lastInventory: $0.lastInventory,
                      lastNodeSnapshot: $0.lastNodeSnapshot, usageAgeSeconds: $0.lastUsageBucket.map { now - ($0 + 300) })
            },
            skipped: skipped)
    }
}
