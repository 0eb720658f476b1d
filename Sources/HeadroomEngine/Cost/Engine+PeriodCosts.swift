import HeadroomCore
import HeadroomCost
import HeadroomHistory

/// The allocation of a fixed window (two report weeks) by the days a time zone has, with what
/// each container's cost was made of (`CostDrivers`): what the weekly report is computed from.
public struct PeriodCosts: Sendable {
    /// `[start, start + hours·3600)`.
    public var start: Int64
    public var hours: Int
    public var result: CostAllocationResult
    /// [container][day], the days of `result.allocation.days`.
    public var drivers: [[CostDrivers]]
    /// Each container's labels, from its latest inventory.
    public var labels: [ContainerID: [String: String]]
    /// End of the stored usage (just after its last bucket); hours after it hold no usage yet.
    public var usageEnd: Int64?

    /// One container over the days `range` (indices into the days) as `CostCauses` takes it.
    public func container(_ index: Int, days range: Range<Int>) -> PeriodContainerCost {
        var cpu: Int64 = 0, ram: Int64 = 0, pv: Int64 = 0
        var drivers = CostDrivers()
        for day in range {
            let cost = result.allocation.containers[index][day]
            cpu += cost.cpu
            ram += cost.ram
            pv += cost.pv
            drivers = drivers + self.drivers[index][day]
        }
        return PeriodContainerCost(container: result.containers[index], cpuMicrodollars: cpu, ramMicrodollars: ram, pvMicrodollars: pv, drivers: drivers)
    }
}

extension Engine {
    /// Allocates `[from, to)` (5-minute aligned) to containers and idle with the day boundaries
    /// `dayStarts` (local midnights): each hour to the nodes of the snapshot in force then, priced
    /// by `catalog`; volumes as the latest snapshot has them. Nothing is stored.
    /// - Parameter cache: the hours the assessment just read for its allocation (its
    ///   `usageHours`); the containers it covers are not read again.
    public func periodCosts(from: Int64, to: Int64, dayStarts: [Int64], catalog: PriceCatalog, cache: UsageHoursCache? = nil) async throws -> PeriodCosts {
        guard to > from, from % 300 == 0, to % 300 == 0 else {
            throw EngineError(.invalidInput, "the period [\(from), \(to)) must be a non-empty range of whole 5-minute buckets")
        }
        let nodes = try await store.latestNodes(cluster: cluster)
        guard !nodes.isEmpty else {
            throw EngineError(.missingData, "the store has no nodes: collect from the Kubernetes API or import kube-state-metrics (kube_node_*) first")
        }
        let hours = Int((to - from + 3599) / 3600)
        let usage = try await periodUsageHours(start: from, hours: hours, cache: cache)
        // The nodes each hour was paid for: a week with more nodes cost more.
        let history = try await store.nodeSnapshots(cluster: cluster, from: from, to: from + Int64(hours) * 3600)
        let result = CostAllocator.allocate(start: from, hours: hours, nodes: nodes, containers: usage, volumes: try await store.latestVolumes(cluster: cluster),
                                            catalog: catalog, dayStarts: dayStarts, nodeHistory: history)
        let days = DayIndex(start: from, hours: hours, dayStarts: dayStarts)
        let labels = Dictionary(try await store.latestInventory(asOf: nil, cluster: cluster).map { ($0.container, $0.labels) }, uniquingKeysWith: { $1 })
        let range = try await store.usageTimeRange(cluster: cluster)
        return PeriodCosts(start: from, hours: hours, result: result, drivers: usage.map { CostDrivers.daily($0, days: days) },
                           labels: labels, usageEnd: range.map { $0.upperBound + 300 })
    }
}

extension Engine {
    /// What allocation needs of every container for each hour of `[start, start + hours·3600)`:
    /// from `cache` where it holds those hours, else hourly means averaged by the store and the
    /// declared requests and replicas.
    func periodUsageHours(start: Int64, hours: Int, cache: UsageHoursCache?) async throws -> [ContainerUsageHours] {
        let end = start + Int64(hours) * 3600
        let latest = Dictionary(try await store.latestInventory(asOf: end, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let kept = cache?.covering(start: start, hours: hours) ?? [:]
        var rows: [ContainerUsageHours] = []
        for container in try await store.containers(cluster: cluster) {
            if let kept = kept[container] {
                rows.append(ContainerUsageHours(container: container, pool: latest[container]?.nodePool, cpuPerPod: kept.cpu, memoryPerPod: kept.memory,
                                                declared: kept.declared))
                continue
            }
            rows.append(ContainerUsageHours(container: container, pool: latest[container]?.nodePool,
                                            cpuPerPod: try await store.hourlyMeans(container, resource: .cpu, from: start, hours: hours),
                                            memoryPerPod: try await store.hourlyMeans(container, resource: .memory, from: start, hours: hours),
                                            declared: try await store.inventorySeries(container, from: start, to: end, step: 3600).map { $0.map(DeclaredRequests.init) }))
        }
        return rows
    }

    /// The end of the stored usage (just after its last 5-minute bucket), nil without usage.
    public func usageEnd() async throws -> Int64? {
        try await store.usageTimeRange(cluster: cluster).map { $0.upperBound + 300 }
    }
}
