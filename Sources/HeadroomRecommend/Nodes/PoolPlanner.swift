import HeadroomCore

/// Node counts for one pool: the recommended pods (plus DaemonSet overhead per node) binpacked
/// onto each candidate node type; the cheapest plan wins (fewer nodes on a tie). Never fewer
/// nodes than the lower bound `ceil(total / allocatable)` per resource; multi-zone pools get a
/// multiple of their zone count, so each zone holds the same number. Node types and their prices
/// come from the caller (HeadroomCost's catalog): this module decides counts, not prices.
public enum PoolPlanner {
    public struct PodSpec: Sendable, Hashable {
        public var name: String
        public var requests: ResourceAmounts
        public var count: Int
        public init(name: String, requests: ResourceAmounts, count: Int) {
            self.name = name
            self.requests = requests
            self.count = count
        }
    }

    public struct Plan: Sendable, Hashable, Codable {
        public var nodeType: String
        public var nodes: Int
        public var lowerBound: Int
        public var monthlyMicrodollars: Int64
        /// Requested / allocatable over the planned nodes.
        public var cpuEfficiency: Double
        public var memoryEfficiency: Double
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// - Parameters:
    ///   - daemonSetOverhead: requests of the DaemonSet pods every node of the pool runs.
    ///   - daemonSetPods: how many DaemonSet pods each node runs (they take pod slots too).
    ///   - reserve: share of each node's remaining allocatable kept free (failover or surge
    ///     headroom; 0.1 = 10 %), applied after the DaemonSets.
    ///   - hoursPerMonth: hours the monthly price covers (the price file's billing month).
    public static func plan(_ pods: [PodSpec], zones: Int = 1, daemonSetOverhead: ResourceAmounts = .none, daemonSetPods: Int = 0, reserve: Double = 0,
                            catalog: [NodeType], hoursPerMonth: Int64 = BillingMonth.defaultHours) throws(Failure) -> Plan {
        precondition((0..<1).contains(reserve), "reserve must be in [0, 1)")
        let totalCPU = pods.reduce(Int64(0)) { $0 + ($1.requests.cpu?.millicores ?? 0) * Int64($1.count) }
        let totalMemory = pods.reduce(Int64(0)) { $0 + ($1.requests.memory?.bytes ?? 0) * Int64($1.count) }
        let podCount = pods.reduce(0) { $0 + $1.count }
        var best: Plan?
        for type in catalog {
            let (cpu, memory, maxPods) = room(on: type, daemonSetOverhead: daemonSetOverhead, daemonSetPods: daemonSetPods, reserve: reserve)
            guard cpu > 0, memory > 0, maxPods > 0, pods.allSatisfy({ ($0.requests.cpu?.millicores ?? 0) <= cpu && ($0.requests.memory?.bytes ?? 0) <= memory })
            else { continue }
            let estimator = BinpackingEstimator(node: .init(cpuMillicores: cpu, memoryBytes: memory, maxPods: maxPods))
            let estimate = estimator.estimate(pods.filter { $0.count > 0 }.map { .init(count: $0.count, cpuMillicores: $0.requests.cpu?.millicores ?? 0, memoryBytes: $0.requests.memory?.bytes ?? 0) })
            let lowerBound = max(ceilDiv(totalCPU, cpu), ceilDiv(totalMemory, memory), ceilDiv(Int64(podCount), Int64(maxPods)))
            var nodes = max(estimate.nodeCount, Int(lowerBound))
            if zones > 1 { nodes = max(zones, (nodes + zones - 1) / zones * zones) }
            let monthly = Int64(nodes) * type.microdollarsPerHour * hoursPerMonth
            let plan = Plan(nodeType: type.name, nodes: nodes, lowerBound: Int(lowerBound), monthlyMicrodollars: monthly,
                            cpuEfficiency: nodes > 0 ? Double(totalCPU) / Double(Int64(nodes) * cpu) : 0,
                            memoryEfficiency: nodes > 0 ? Double(totalMemory) / Double(Int64(nodes) * memory) : 0)
            if best == nil || plan.monthlyMicrodollars < best!.monthlyMicrodollars
                || (plan.monthlyMicrodollars == best!.monthlyMicrodollars && plan.nodes < best!.nodes) {
                best = plan
            }
        }
        guard let best else {
            if pods.isEmpty || podCount == 0 {
                throw Failure(message: "no node type leaves room after the DaemonSet overhead (\(daemonSetOverhead.cpu?.canonical ?? "0") CPU, \(daemonSetOverhead.memory?.canonical ?? "0")) and the \(Int(reserve * 100)) % reserve")
            }
            let largest = pods.max { ($0.requests.cpu?.millicores ?? 0) < ($1.requests.cpu?.millicores ?? 0) }
            throw Failure(message: "pod \(largest?.name ?? "?") (\(largest?.requests.cpu?.canonical ?? "-") CPU, \(largest?.requests.memory?.canonical ?? "-")) is larger than every node type in the catalog")
        }
        return best
    }

    /// What one node of `type` leaves for the pool's pods: its allocatable less the DaemonSets,
    /// less the reserve.
    public static func room(on type: NodeType, daemonSetOverhead: ResourceAmounts = .none, daemonSetPods: Int = 0,
                            reserve: Double = 0) -> (cpuMillicores: Int64, memoryBytes: Int64, pods: Int) {
        let allocatable = type.allocatable
        let cpu = Int64(saturating: (Double((allocatable.cpu?.millicores ?? 0) - (daemonSetOverhead.cpu?.millicores ?? 0)) * (1 - reserve)).rounded(.down))
        let memory = Int64(saturating: (Double((allocatable.memory?.bytes ?? 0) - (daemonSetOverhead.memory?.bytes ?? 0)) * (1 - reserve)).rounded(.down))
        return (cpu, memory, type.maxPods - daemonSetPods)
    }

    /// Whether a pod with `requests` fits one node of some type in `catalog`, after the DaemonSets and reserve.
    public static func fitsSomeType(_ requests: ResourceAmounts, catalog: [NodeType], daemonSetOverhead: ResourceAmounts = .none, daemonSetPods: Int = 0,
                                    reserve: Double = 0) -> Bool {
        catalog.contains { type in
            let room = room(on: type, daemonSetOverhead: daemonSetOverhead, daemonSetPods: daemonSetPods, reserve: reserve)
            return room.pods > 0 && (requests.cpu?.millicores ?? 0) <= room.cpuMillicores && (requests.memory?.bytes ?? 0) <= room.memoryBytes
        }
    }

    private static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { b > 0 ? (a + b - 1) / b : 0 }
}
