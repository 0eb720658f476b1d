import HeadroomCore

/// What allocation needs of a container's declared state in one hour: its requests and
/// replicas. A whole `InventoryRecord` is about 300 bytes and holds references; the service keeps
/// 720 hours of 10,000 containers between cycles, which took 2 GB in that form.
public struct DeclaredRequests: Sendable, Hashable {
    public var cpuMillicores: Int64?
    public var memoryBytes: Int64?
    public var replicas: Int?

    public init(cpuMillicores: Int64?, memoryBytes: Int64?, replicas: Int?) {
        self.cpuMillicores = cpuMillicores
        self.memoryBytes = memoryBytes
        self.replicas = replicas
    }

    public init(_ record: InventoryRecord) {
        self.init(cpuMillicores: record.requests.cpu?.millicores, memoryBytes: record.requests.memory?.bytes, replicas: record.replicas)
    }
}

/// What allocation needs about one container for each hour of the window.
public struct ContainerUsageHours: Sendable {
    public var container: ContainerID
    public var pool: String?
    /// Per-pod mean CPU (millicores) and memory (bytes) per hour; nil where nothing was recorded.
    public var cpuPerPod: [Double?]
    public var memoryPerPod: [Double?]
    /// Declared requests and replicas per hour; nil before the container existed.
    public var declared: [DeclaredRequests?]

    public init(container: ContainerID, pool: String?, cpuPerPod: [Double?], memoryPerPod: [Double?], declared: [DeclaredRequests?]) {
        self.container = container
        self.pool = pool
        self.cpuPerPod = cpuPerPod
        self.memoryPerPod = memoryPerPod
        self.declared = declared
    }

    public init(container: ContainerID, pool: String?, cpuPerPod: [Double?], memoryPerPod: [Double?], declared: [InventoryRecord?]) {
        self.init(container: container, pool: pool, cpuPerPod: cpuPerPod, memoryPerPod: memoryPerPod, declared: declared.map { $0.map(DeclaredRequests.init) })
    }
}

extension ContainerUsageHours {
    /// One hour as allocation sees it (nil before the container existed): per pod, the usage and
    /// the requests; for all pods, what is charged, max(request, usage) × replicas.
    public struct ChargedHour: Sendable {
        public var replicas: Int64
        public var cpuRequestMillicores: Int64
        public var memoryRequestBytes: Int64
        public var cpuUsedMillicores: Int64
        public var memoryUsedBytes: Int64
        public var cpuMillicores: Int64
        public var memoryBytes: Int64
    }

    @inline(__always)
    public func charged(hour: Int) -> ChargedHour? {
        guard hour < declared.count, let declared = declared[hour] else { return nil }
        let replicas = Int64(max(declared.replicas ?? 1, 0))
        let cpuUsed = Int64(saturating: (hour < cpuPerPod.count ? cpuPerPod[hour] ?? 0 : 0).rounded(.up))
        let memoryUsed = Int64(saturating: (hour < memoryPerPod.count ? memoryPerPod[hour] ?? 0 : 0).rounded(.up))
        let cpuRequest = max(declared.cpuMillicores ?? 0, 0), memoryRequest = max(declared.memoryBytes ?? 0, 0)
        return ChargedHour(replicas: replicas, cpuRequestMillicores: cpuRequest, memoryRequestBytes: memoryRequest,
                           cpuUsedMillicores: cpuUsed, memoryUsedBytes: memoryUsed,
                           cpuMillicores: max(cpuRequest, cpuUsed).saturatingMultiply(replicas),
                           memoryBytes: max(memoryRequest, memoryUsed).saturatingMultiply(replicas))
    }
}

/// The allocation of one window, ready to store and report.
public struct CostAllocationResult: Sendable {
    public var allocation: DailyAllocation
    /// Volumes no workload mounts: their cost per day (same days as the allocation).
    public var unattachedVolumes: [(volume: VolumeRecord, days: [Microdollars])]
    public var pools: [String]
    public var containers: [ContainerID]
    public var containerPools: [String?]
    public var pricedNodes: [PricedNode]
}

/// Builds allocation inputs from usage, declared state and priced nodes, and runs the allocation:
/// each hour a container is charged max(request, usage) × replicas of CPU and memory.
public enum CostAllocator {
    /// Volumes cost their size at the storage rate (per GiB-month over the billing month's hours) every hour of the
    /// window, charged to the first container of the workload that mounts them; unattached ones
    /// are listed on their own.
    public static func allocate(start: Int64, hours: Int, nodes: [NodeRecord], containers: [ContainerUsageHours],
                                volumes: [VolumeRecord] = [], catalog: PriceCatalog, dayStarts: [Int64]? = nil,
                                nodeHistory: [(observedAt: Int64, nodes: [NodeRecord])]? = nil) -> CostAllocationResult {
        let priced = catalog.price(nodes)
        let byPool = Dictionary(grouping: priced) { NodePools.name(of: $0.node) }
        let nodePools = NodePools(nodes)
        let charged = containers.map { nodePools.pool(forDeclared: $0.pool) }
        let poolNames: [String]
        let pools: [PoolHours]
        if let nodeHistory, !nodeHistory.isEmpty {
            (poolNames, pools) = Self.poolHours(nodeHistory, latest: Set(byPool.keys), start: start, hours: hours, catalog: catalog)
        } else {
            poolNames = byPool.keys.sorted()
            pools = poolNames.map { PoolHours(name: $0, nodes: byPool[$0]!, hours: hours) }
        }
        let poolIndex = Dictionary(uniqueKeysWithValues: poolNames.enumerated().map { ($1, $0) })
        let inputs = zip(containers, charged).map { usage, pool in
            var cpu = [Int64](repeating: 0, count: hours), memory = [Int64](repeating: 0, count: hours)
            for hour in 0..<hours {
                guard let charged = usage.charged(hour: hour) else { continue }
                cpu[hour] = charged.cpuMillicores
                memory[hour] = charged.memoryBytes
            }
            return ContainerHours(container: usage.container, pool: pool.flatMap { poolIndex[$0] }, cpuMillicores: cpu, memoryBytes: memory)
        }
        var allocation = Allocation.daily(start: start, hours: hours, pools: pools, containers: inputs, units: catalog.units, dayStarts: dayStarts)
        // Hours of the window in each day.
        var hoursPerDay = [Int](repeating: 0, count: allocation.days.count)
        for day in DayIndex(start: start, hours: hours, dayStarts: dayStarts).ofHour { hoursPerDay[day] += 1 }
        let firstContainer = Dictionary(containers.indices.map { (containers[$0].container.workload, $0) }, uniquingKeysWith: { min($0, $1) })
        var unattached: [(volume: VolumeRecord, days: [Microdollars])] = []
        for volume in volumes {
            let hourly = Microdollars((Double(catalog.volumeMonthly(bytes: volume.capacityBytes)) / Double(catalog.units.hoursPerMonth)).rounded())
            let days = hoursPerDay.map { Microdollars($0) * hourly }
            if !volume.isUnattached, let workload = volume.workload, let index = firstContainer[workload] {
                for day in days.indices { allocation.containers[index][day].pv += days[day] }
            } else {
                unattached.append((volume, days))
            }
        }
        return CostAllocationResult(allocation: allocation, unattachedVolumes: unattached, pools: poolNames, containers: containers.map(\.container),
                                    containerPools: charged, pricedNodes: priced)
    }

    /// Each pool's capacity and price every hour from the node snapshot in force then (the last
    /// taken at or before the hour; the first one for hours before any): what a window was
    /// really paid for when nodes came and went.
    static func poolHours(_ history: [(observedAt: Int64, nodes: [NodeRecord])], latest: Set<String>, start: Int64, hours: Int,
                          catalog: PriceCatalog) -> ([String], [PoolHours]) {
        let snapshots = history.sorted { $0.observedAt < $1.observedAt }
        struct PoolSum { var cpu: Int64 = 0, memory: Int64 = 0, cpuHourly: Microdollars = 0, ramHourly: Microdollars = 0, nodes = 0 }
        let sums: [[String: PoolSum]] = snapshots.map { snapshot in
            var pools: [String: PoolSum] = [:]
            for node in catalog.price(snapshot.nodes) {
                var sum = pools[NodePools.name(of: node.node), default: PoolSum()]
                sum.cpu += node.node.allocatable.cpu?.millicores ?? 0
                sum.memory += node.node.allocatable.memory?.bytes ?? 0
                sum.cpuHourly += node.cpuHourly
                sum.ramHourly += node.ramHourly
                sum.nodes += 1
                pools[NodePools.name(of: node.node)] = sum
            }
            return pools
        }
        let names = latest.union(sums.flatMap(\.keys)).sorted()
        var pools = names.map { PoolHours(name: $0, cpuMillicores: [], memoryBytes: [], cpuHourly: [], ramHourly: [], nodes: []) }
        var index = 0
        for hour in 0..<hours {
            let time = start + Int64(hour) * 3600
            while index + 1 < snapshots.count && snapshots[index + 1].observedAt <= time { index += 1 }
            for (poolIndex, name) in names.enumerated() {
                let sum = sums[index][name] ?? PoolSum()
                pools[poolIndex].cpuMillicores.append(sum.cpu)
                pools[poolIndex].memoryBytes.append(sum.memory)
                pools[poolIndex].cpuHourly.append(sum.cpuHourly)
                pools[poolIndex].ramHourly.append(sum.ramHourly)
                pools[poolIndex].nodes.append(sum.nodes)
            }
        }
        return (names, pools)
    }
}
