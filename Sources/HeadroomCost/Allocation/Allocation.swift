import HeadroomCore

/// One node pool over the allocation window: per hour, what its nodes offer (allocatable) and
/// what they cost, already split into CPU and RAM parts.
public struct PoolHours: Sendable {
    public var name: String
    public var cpuMillicores: [Int64]
    public var memoryBytes: [Int64]
    public var cpuHourly: [Microdollars]
    public var ramHourly: [Microdollars]
    public var nodes: [Int]

    public init(name: String, cpuMillicores: [Int64], memoryBytes: [Int64], cpuHourly: [Microdollars], ramHourly: [Microdollars], nodes: [Int]) {
        self.name = name
        self.cpuMillicores = cpuMillicores
        self.memoryBytes = memoryBytes
        self.cpuHourly = cpuHourly
        self.ramHourly = ramHourly
        self.nodes = nodes
    }

    /// The same nodes every hour.
    public init(name: String, nodes: [PricedNode], hours: Int) {
        let cpu = nodes.reduce(Int64(0)) { $0 + ($1.node.allocatable.cpu?.millicores ?? 0) }
        let memory = nodes.reduce(Int64(0)) { $0 + ($1.node.allocatable.memory?.bytes ?? 0) }
        self.init(name: name, cpuMillicores: Array(repeating: cpu, count: hours), memoryBytes: Array(repeating: memory, count: hours),
                  cpuHourly: Array(repeating: nodes.reduce(0) { $0 + $1.cpuHourly }, count: hours),
                  ramHourly: Array(repeating: nodes.reduce(0) { $0 + $1.ramHourly }, count: hours),
                  nodes: Array(repeating: nodes.count, count: hours))
    }
}

/// One container (all its replicas) over the window: per hour, the CPU and memory it is charged
/// for, max(request, usage) summed over its pods.
public struct ContainerHours: Sendable {
    public var container: ContainerID
    /// Index into the pools; nil when its pool has no priced nodes (then the unit prices apply).
    public var pool: Int?
    public var cpuMillicores: [Int64]
    public var memoryBytes: [Int64]

    public init(container: ContainerID, pool: Int?, cpuMillicores: [Int64], memoryBytes: [Int64]) {
        self.container = container
        self.pool = pool
        self.cpuMillicores = cpuMillicores
        self.memoryBytes = memoryBytes
    }
}

/// Costs per UTC day.
public struct DailyAllocation: Sendable {
    public struct ContainerDay: Sendable, Hashable {
        public var cpu: Microdollars = 0
        public var ram: Microdollars = 0
        /// Persistent volumes of the container's workload (charged to its first container).
        public var pv: Microdollars = 0
        public var total: Microdollars { cpu + ram + pv }
    }
    public struct PoolDay: Sendable, Hashable {
        public var nodeCost: Microdollars = 0
        public var idleCPU: Microdollars = 0
        public var idleRAM: Microdollars = 0
        public var hours = 0
        public var nodeHours = 0
        public var idle: Microdollars { idleCPU + idleRAM }
    }
    /// Start of each day (unix seconds, midnight UTC).
    public var days: [Int64]
    /// [container][day]
    public var containers: [[ContainerDay]]
    /// [pool][day]
    public var pools: [[PoolDay]]
}

/// Cost allocation (OpenCost's model in integer micro-dollars): each hour, a pool's CPU cost is
/// shared among its containers in proportion to the CPU they are charged for,
/// max(request, usage), and likewise RAM; each share is rounded down to the micro-dollar and the
/// pool's idle cost is the remainder, so per hour and per pool containers + idle = nodes exactly.
/// When the charged amounts exceed the pool's capacity the shares are scaled to the capacity and
/// idle is zero. Containers whose pool has no priced nodes pay the unit prices and take no part.
public enum Allocation {
    /// - Parameter dayStarts: where the days begin (sorted unix seconds, the first at or before
    ///   `start`): local midnights for a report in a time zone. Nil: UTC midnights.
    public static func daily(start: Int64, hours: Int, pools: [PoolHours], containers: [ContainerHours],
                             units: UnitPrices, dayStarts: [Int64]? = nil) -> DailyAllocation {
        let days = DayIndex(start: start, hours: hours, dayStarts: dayStarts)
        let dayCount = days.starts.count
        var result = DailyAllocation(
            days: days.starts,
            containers: Array(repeating: Array(repeating: .init(), count: dayCount), count: containers.count),
            pools: Array(repeating: Array(repeating: .init(), count: dayCount), count: pools.count))
        let members = Dictionary(grouping: containers.indices.filter { containers[$0].pool != nil }) { containers[$0].pool! }
        let unpriced = containers.indices.filter { containers[$0].pool == nil }
        for hour in 0..<hours {
            let day = days.ofHour[hour]
            for (poolIndex, pool) in pools.enumerated() {
                let indices = members[poolIndex] ?? []
                var chargedCPU: Int64 = 0, chargedRAM: Int64 = 0
                for index in indices {
                    chargedCPU = chargedCPU.saturatingAdd(containers[index].cpuMillicores[hour])
                    chargedRAM = chargedRAM.saturatingAdd(containers[index].memoryBytes[hour])
                }
                let cpuBasis = max(pool.cpuMillicores[hour], chargedCPU), ramBasis = max(pool.memoryBytes[hour], chargedRAM)
                var spentCPU: Microdollars = 0, spentRAM: Microdollars = 0
                for index in indices {
                    let cpu = share(pool.cpuHourly[hour], containers[index].cpuMillicores[hour], of: cpuBasis)
                    let ram = share(pool.ramHourly[hour], containers[index].memoryBytes[hour], of: ramBasis)
                    result.containers[index][day].cpu += cpu
                    result.containers[index][day].ram += ram
                    spentCPU += cpu
                    spentRAM += ram
                }
                result.pools[poolIndex][day].nodeCost += pool.cpuHourly[hour] + pool.ramHourly[hour]
                result.pools[poolIndex][day].idleCPU += pool.cpuHourly[hour] - spentCPU
                result.pools[poolIndex][day].idleRAM += pool.ramHourly[hour] - spentRAM
                result.pools[poolIndex][day].hours += 1
                result.pools[poolIndex][day].nodeHours += pool.nodes[hour]
            }
            for index in unpriced {
                let cpu = Int128(containers[index].cpuMillicores[hour]) * Int128(units.cpuPerVCPUHour) / 1000
                let ram = Int128(containers[index].memoryBytes[hour]) * Int128(units.ramPerGiBHour) / Int128(1 << 30)
                result.containers[index][day].cpu = result.containers[index][day].cpu.saturatingAdd(Microdollars(clamping: cpu))
                result.containers[index][day].ram = result.containers[index][day].ram.saturatingAdd(Microdollars(clamping: ram))
            }
        }
        return result
    }

    /// floor(cost × amount / basis), exact in 128-bit arithmetic.
    @inline(__always)
    static func share(_ cost: Microdollars, _ amount: Int64, of basis: Int64) -> Microdollars {
        guard basis > 0, amount > 0 else { return 0 }
        return Microdollars(Int128(cost) * Int128(amount) / Int128(basis))
    }
}

/// Which day each hour of a window falls in: UTC days, or the days that `dayStarts` begin.
public struct DayIndex: Sendable {
    /// The start of each day the window touches.
    public var starts: [Int64]
    /// For each hour of the window, the index of its day in `starts`.
    public var ofHour: [Int]

    public init(start: Int64, hours: Int, dayStarts: [Int64]? = nil) {
        let end = start + Int64(hours) * 3600
        if let dayStarts, let first = dayStarts.first, first <= start {
            let used = dayStarts.indices.filter { index in
                dayStarts[index] < end && (index + 1 == dayStarts.count || dayStarts[index + 1] > start)
            }
            let starts = used.map { dayStarts[$0] }
            var index = 0
            ofHour = (0..<hours).map { hour in
                let time = start + Int64(hour) * 3600
                while index + 1 < starts.count && starts[index + 1] <= time { index += 1 }
                return index
            }
            self.starts = starts
        } else {
            let firstDay = start - ((start % 86_400) + 86_400) % 86_400
            let count = Int((end - firstDay + 86_399) / 86_400)
            starts = (0..<count).map { firstDay + Int64($0) * 86_400 }
            ofHour = (0..<hours).map { Int((start + Int64($0) * 3600 - firstDay) / 86_400) }
        }
    }
}
