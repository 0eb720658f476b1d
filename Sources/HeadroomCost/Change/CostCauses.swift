import HeadroomCore

/// One container's allocated cost over a period (a report week) and what it was made of.
public struct PeriodContainerCost: Sendable, Hashable {
    public var container: ContainerID
    public var cpuMicrodollars: Int64
    public var ramMicrodollars: Int64
    public var pvMicrodollars: Int64
    public var drivers: CostDrivers
    public var totalMicrodollars: Int64 { cpuMicrodollars + ramMicrodollars + pvMicrodollars }

    public init(container: ContainerID, cpuMicrodollars: Int64, ramMicrodollars: Int64, pvMicrodollars: Int64, drivers: CostDrivers) {
        self.container = container
        self.cpuMicrodollars = cpuMicrodollars
        self.ramMicrodollars = ramMicrodollars
        self.pvMicrodollars = pvMicrodollars
        self.drivers = drivers
    }
}

/// Why a group's cost moved between two periods, split into five causes that add up to the
/// change exactly, to the micro-dollar.
///
/// For each container that ran in both periods and each of CPU and memory, the cost is
/// C = P · A, the charged amount A = r · n + e (r the mean request per pod, n the pod-hours, e the
/// usage above requests) and P = C / A the effective unit price. The change is split with the
/// midpoint (Bennet) rule, which is exact for products and favours neither period:
/// - prices: ΔP · mean(A)
/// - requests: mean(P) · Δr · mean(n), plus the change in volume cost (claims are storage requests)
/// - replicas: mean(P) · Δn · mean(r)
/// - usage above requests: mean(P) · Δe
/// A container that ran in only one of the periods counts whole under "workloads added or
/// removed". The parts are summed per group in real numbers and rounded so that they add up to
/// the group's integer change; the rounding difference (a few micro-dollars) goes to the
/// largest part.
public struct CostCauses: Sendable, Hashable, Codable {
    public var name: String
    public var beforeMicrodollars: Int64
    public var afterMicrodollars: Int64
    public var requestsMicrodollars: Int64
    public var replicasMicrodollars: Int64
    public var usageAboveRequestsMicrodollars: Int64
    public var addedRemovedMicrodollars: Int64
    public var pricesMicrodollars: Int64

    public var changeMicrodollars: Int64 { afterMicrodollars - beforeMicrodollars }
    public var sumOfCausesMicrodollars: Int64 {
        requestsMicrodollars + replicasMicrodollars + usageAboveRequestsMicrodollars + addedRemovedMicrodollars + pricesMicrodollars
    }

    /// The causes per group (`group` names a container's group: its namespace, its workload…),
    /// biggest absolute change first, then by name.
    public static func of(before: [PeriodContainerCost], after: [PeriodContainerCost], group: (ContainerID) -> String) -> [CostCauses] {
        let old = Dictionary(before.map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let new = Dictionary(after.map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        var sums: [String: (before: Int64, after: Int64, parts: Parts)] = [:]
        for container in Set(old.keys).union(new.keys) {
            let a = old[container], b = new[container]
            let name = group(container)
            var entry = sums[name] ?? (0, 0, Parts())
            entry.before += a?.totalMicrodollars ?? 0
            entry.after += b?.totalMicrodollars ?? 0
            entry.parts = entry.parts + Parts.of(before: a, after: b)
            sums[name] = entry
        }
        return sums.map { name, entry in
            let rounded = entry.parts.rounded(to: entry.after - entry.before)
            return CostCauses(name: name, beforeMicrodollars: entry.before, afterMicrodollars: entry.after,
                              requestsMicrodollars: rounded[0], replicasMicrodollars: rounded[1], usageAboveRequestsMicrodollars: rounded[2],
                              addedRemovedMicrodollars: rounded[3], pricesMicrodollars: rounded[4])
        }.sorted { (abs($0.changeMicrodollars), $1.name) > (abs($1.changeMicrodollars), $0.name) }
    }

    /// The five parts in real micro-dollars.
    struct Parts {
        var requests = 0.0, replicas = 0.0, usage = 0.0, addedRemoved = 0.0, prices = 0.0

        static func + (lhs: Parts, rhs: Parts) -> Parts {
            Parts(requests: lhs.requests + rhs.requests, replicas: lhs.replicas + rhs.replicas, usage: lhs.usage + rhs.usage,
                  addedRemoved: lhs.addedRemoved + rhs.addedRemoved, prices: lhs.prices + rhs.prices)
        }

        static func of(before: PeriodContainerCost?, after: PeriodContainerCost?) -> Parts {
            let ranBefore = before?.drivers.ran ?? false, ranAfter = after?.drivers.ran ?? false
            let change = Double((after?.totalMicrodollars ?? 0) - (before?.totalMicrodollars ?? 0))
            guard ranBefore && ranAfter, let before, let after else { return Parts(addedRemoved: change) }
            let cpu = resource(cost: (Double(before.cpuMicrodollars), Double(after.cpuMicrodollars)),
                               charged: (before.drivers.cpuChargedMillicoreHours, after.drivers.cpuChargedMillicoreHours),
                               requested: (before.drivers.cpuRequestMillicoreHours, after.drivers.cpuRequestMillicoreHours),
                               pods: (before.drivers.podHours, after.drivers.podHours))
            let memory = resource(cost: (Double(before.ramMicrodollars), Double(after.ramMicrodollars)),
                                  charged: (before.drivers.memoryChargedByteHours, after.drivers.memoryChargedByteHours),
                                  requested: (before.drivers.memoryRequestByteHours, after.drivers.memoryRequestByteHours),
                                  pods: (before.drivers.podHours, after.drivers.podHours))
            var parts = cpu + memory
            parts.requests += Double(after.pvMicrodollars - before.pvMicrodollars)
            return parts
        }

        /// One resource of a container that ran in both periods.
        static func resource(cost: (Double, Double), charged: (Double, Double), requested: (Double, Double), pods: (Double, Double)) -> Parts {
            // A period charged nothing costs nothing; its unit price is taken as the other's.
            guard charged.0 > 0 || charged.1 > 0 else { return Parts(prices: cost.1 - cost.0) }
            let price0 = charged.0 > 0 ? cost.0 / charged.0 : cost.1 / charged.1
            let price1 = charged.1 > 0 ? cost.1 / charged.1 : price0
            let perPod0 = requested.0 / pods.0, perPod1 = requested.1 / pods.1
            let excess0 = charged.0 - requested.0, excess1 = charged.1 - requested.1
            let meanPrice = (price0 + price1) / 2
            var parts = Parts()
            parts.prices = (price1 - price0) * (charged.0 + charged.1) / 2
            parts.requests = meanPrice * (perPod1 - perPod0) * (pods.0 + pods.1) / 2
            parts.replicas = meanPrice * (pods.1 - pods.0) * (perPod0 + perPod1) / 2
            parts.usage = meanPrice * (excess1 - excess0)
            // A cost the charged amounts cannot explain (nothing charged in one period but a cost
            // in it) is a price.
            parts.prices += (cost.1 - cost.0) - (parts.prices + parts.requests + parts.replicas + parts.usage)
            return parts
        }

        /// Whole micro-dollars adding up to `total`: each part rounded, the difference to the largest.
        func rounded(to total: Int64) -> [Int64] {
            let values = [requests, replicas, usage, addedRemoved, prices]
            var parts = values.map { Int64(clamping: Int128(exactly: $0.rounded()) ?? 0) }
            let largest = values.indices.max { abs(values[$0]) < abs(values[$1]) } ?? 0
            parts[largest] += total - parts.reduce(0, +)
            return parts
        }
    }
}
