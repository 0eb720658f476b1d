import Foundation
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
        try await advise(options, catalog: catalog, progress: progress, sharing: nil)
    }

    /// `advise`, handing what it reads to `sharing` for the rest of an assessment.
    func advise(_ options: AdviceOptions, catalog: PriceCatalog, progress: ProgressHandler?, sharing: SharedUsageReads?) async throws -> AdviceReport {
        guard let range = try await store.usageTimeRange(cluster: cluster) else { throw EngineError.noUsage }
        let end = range.upperBound + 300
        let inventory = Dictionary(try await store.latestInventory(asOf: end, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let stored = try await store.containers(cluster: cluster)
        let containers = stored.filter {
            (options.namespaces.isEmpty || options.namespaces.contains($0.workload.namespace)) && (options.shard?.contains($0.workload) ?? true)
        }
        let nodes = try await store.latestNodes(cluster: cluster)
        let planningTypes = catalog.planningTypes(NodeCatalog.awsUSEast1.map(\.name))
        let advisor = Self.containerAdvisor(options, replaySteps: Int(options.replaySeconds / 300), nodes: nodes, catalog: planningTypes)
        let ooms = try await store.events(kind: .oomKilled, cluster: cluster)
        var input = AdvicePipeline.Input(containers: containers, inventory: inventory, ooms: ooms, start: end - options.historySeconds, end: end,
                                         advisor: advisor, jobs: options.jobs, sharing: sharing)
        var fingerprints: [ContainerID: String] = [:]
        var reusedRecords: [ContainerID: CachedAdviceRecord] = [:]
        var decoded = 0
        if let reuse = options.reuse {
            let oomsByContainer = Dictionary(grouping: ooms, by: \.container)
            let containersPerWorkload = Dictionary(grouping: containers, by: \.workload).mapValues(\.count)
            let optionsText = AdviceReuse.optionsText(options)
            let digests = try await parallelMap(containers, jobs: options.jobs) { [inventory] container in
                AdviceReuse.fingerprint(inventory[container], ooms: oomsByContainer[container] ?? [],
                                        soleContainer: containersPerWorkload[container.workload] == 1, optionsText: optionsText,
                                        largestNode: advisor.largestNode(inventory[container]))
            }
            fingerprints = Dictionary(zip(containers, digests), uniquingKeysWith: { $1 })
            (input.reused, reusedRecords, decoded) = try await reusableAdvice(reuse, fingerprints: fingerprints, end: end, jobs: options.jobs)
        }
        let (rows, skipped) = try await AdvicePipeline.advise(store, input, progress: progress)
        if let reuse = options.reuse {
            let records = try await parallelMap(rows.filter { input.reused[$0.container] == nil }, jobs: options.jobs) { [fingerprints] row in
                CachedAdviceRecord(container: row.container, dataEnd: end, fingerprint: fingerprints[row.container] ?? "",
                                   payload: [UInt8](try JSONEncoder().encode(row)))
            }
            // Another shard's advice is its holder's to keep or drop.
            let others = options.shard.map { shard in stored.filter { !shard.contains($0.workload) } } ?? []
            try await store.updateCachedAdvice(cluster: cluster, records, keeping: Set(input.reused.keys).union(others))
            var kept: [ContainerID: AdviceReuse.Kept.Entry] = [:]
            for row in rows {
                // Reused advice keeps its stored record's window and fingerprint; computed advice has this run's.
                let record = reusedRecords[row.container]
                kept[row.container] = .init(dataEnd: record?.dataEnd ?? end, fingerprint: record?.fingerprint ?? fingerprints[row.container] ?? "",
                                            advice: row)
            }
            reuse.kept.replace(with: kept)
            reuse.counts.set(reused: input.reused.count, computed: records.count, decoded: decoded)
        }

        let poolRates = ResourceRates.perPool(catalog.price(nodes), units: catalog.units)
        let nodePools = NodePools(nodes)
        let unitRates = ResourceRates(units: catalog.units)
        let priced = rows.map { row in
            PricedContainerAdvice.price(row, at: nodePools.pool(forDeclared: inventory[row.container]?.nodePool).flatMap { poolRates[$0] } ?? unitRates)
        }
        var pools: [PoolAdvice] = []
        if options.planPools {
            pools = PoolAdvisor(catalog: planningTypes, extraOverhead: options.daemonSetOverhead, reserve: options.reserve,
                                hoursPerMonth: catalog.units.hoursPerMonth).plans(rows, inventory: inventory)
        }
        return AdviceReport(windowEnd: end, strategy: options.strategy.rawValue, prices: catalog.termsLabel, containers: priced, pools: pools, skipped: skipped)
    }

    /// The advisor every path that sizes containers uses (advise, budgets, reclamation): the
    /// options' strategy, policy and overrides, each container bounded by the largest node it
    /// could run on (its pool's among `nodes`, else the `catalog`'s planning types).
    static func containerAdvisor(_ options: AdviceOptions, replaySteps: Int, nodes: [NodeRecord], catalog: [NodeType]) -> ContainerAdvisor {
        var advisor = ContainerAdvisor(strategy: options.strategy, replaySteps: replaySteps, overrides: options.overrides)
        advisor.includeHPA = options.includeHPA
        advisor.basePolicy = options.basePolicy
        advisor.largestNode = LargestNodes(nodes: nodes, catalog: catalog).resolver
        return advisor
    }

    /// The stored advice still good for `end` (see `AdviceReuse`), by container, with the
    /// stored records it came from and how many stored records had to be decoded (not in memory).
    private func reusableAdvice(_ reuse: AdviceReuse, fingerprints: [ContainerID: String], end: Int64,
                                jobs: Int) async throws -> (advice: [ContainerID: ContainerAdvice], records: [ContainerID: CachedAdviceRecord], decoded: Int) {
        let headers = try await store.cachedAdvice(cluster: cluster, payloads: false)
        guard !headers.isEmpty else { return ([:], [:], 0) }
        // Only advice whose inputs and age still hold is taken: from memory, else decoded.
        let current = headers.filter { container, record in
            fingerprints[container] == record.fingerprint && end >= record.dataEnd && end - record.dataEnd <= reuse.ageLimit(container)
        }
        var found: [ContainerID: ContainerAdvice] = [:]
        var missing: [ContainerID] = []
        for (container, record) in current {
            if let advice = reuse.kept.advice(matching: record) { found[container] = advice } else { missing.append(container) }
        }
        if !missing.isEmpty {
            let stored = try await store.cachedAdvice(cluster: cluster, payloads: true)
            // The store is read again, so only records unchanged since the headers are decoded.
            let payloads = missing.compactMap { container in
                stored[container].flatMap { $0.dataEnd == current[container]?.dataEnd && $0.fingerprint == current[container]?.fingerprint ? (container, $0.payload) : nil }
            }
            let decoded = try await parallelMap(payloads, jobs: jobs) { container, payload in
                (try? JSONDecoder().decode(ContainerAdvice.self, from: Data(payload))).flatMap { $0.container == container ? $0 : nil }
            }
            for ((container, _), advice) in zip(payloads, decoded) { found[container] = advice }
        }
        let since = try await store.usageSinceCachedAdvice(cluster: cluster)
        var reusable: [ContainerID: ContainerAdvice] = [:]
        for (container, advice) in found {
            let arrived = since[container]
            guard AdviceReuse.holds(advice, cpuMean: arrived?.cpuMean, memoryMax: arrived?.memoryMax) else { continue }
            reusable[container] = advice
        }
        return (reusable, current.filter { reusable[$0.key] != nil }, missing.count)
    }
}
