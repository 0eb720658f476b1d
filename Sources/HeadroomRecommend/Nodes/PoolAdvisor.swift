import HeadroomCore

/// Node counts of one pool for the current and the recommended requests.
public struct PoolAdvice: Sendable, Hashable, Codable {
    public var pool: String
    public var zones: Int
    public var pods: Int
    /// Per-node requests of the pool's DaemonSets, from the inventory (plus any declared overhead).
    public var daemonSetOverhead: ResourceAmounts
    public var daemonSetPods: Int
    public var reserve: Double
    /// Nil when the pool cannot be planned (`problem` says why).
    public var current: PoolPlanner.Plan?
    public var recommended: PoolPlanner.Plan?
    /// Pods no node type of the catalog can hold at the requests of a plan, left out of that plan
    /// and named here; nil when every pod fits.
    public var unplacedPods: [String]?
    /// Why the pool has no plan, when it has none.
    public var problem: String?
}

/// Node counts per pool for the current and the recommended requests. DaemonSet containers in
/// the inventory are not binpacked: their requests are taken off every node of their pool (every
/// pool when their pool is unknown), with any extra per-node overhead the user declares.
public struct PoolAdvisor: Sendable {
    /// Node types to plan with, at the user's prices.
    public var catalog: [NodeType]
    public var extraOverhead: ResourceAmounts = .none
    /// Share of each node kept free after the DaemonSets, in [0, 1).
    public var reserve: Double = 0
    /// Hours the plans' monthly prices cover.
    public var hoursPerMonth: Int64 = BillingMonth.defaultHours

    public init(catalog: [NodeType], extraOverhead: ResourceAmounts = .none, reserve: Double = 0, hoursPerMonth: Int64 = BillingMonth.defaultHours) {
        self.catalog = catalog
        self.extraOverhead = extraOverhead
        self.reserve = reserve
        self.hoursPerMonth = hoursPerMonth
    }

    /// A plan per pool. A pod larger than every node type is left out of its pool's plans and
    /// named in `unplacedPods`; a pool no node type can serve gets no plans and a `problem`. One
    /// pool's trouble never costs the other pools their plans.
    public func plans(_ rows: [ContainerAdvice], inventory: [ContainerID: InventoryRecord]) -> [PoolAdvice] {
        func pool(of container: ContainerID) -> String? { inventory[container]?.nodePool }
        let daemonSets = rows.filter { $0.container.workload.kind == .daemonSet }
        let workloads = rows.filter { $0.container.workload.kind != .daemonSet }
        let byPool = Dictionary(grouping: workloads) { pool(of: $0.container) ?? "default" }
        var plans: [PoolAdvice] = []
        for (name, members) in byPool.sorted(by: { $0.key < $1.key }) {
            func overhead(_ pick: (ContainerAdvice) -> ResourceAmounts) -> DaemonSetOverhead {
                DaemonSetOverhead.onNodes(of: name, daemonSets: daemonSets.map { .init(container: $0.container, requests: pick($0), pool: pool(of: $0.container)) },
                                          extra: extraOverhead)
            }
            let zones = members.map { inventory[$0.container]?.zone?.split(separator: ",").count ?? 1 }.max() ?? 1
            func pods(_ pick: (ContainerAdvice) -> ResourceAmounts, maximum: (ContainerAdvice) -> Int) -> [PoolPlanner.PodSpec] {
                members.map { .init(name: $0.container.description, requests: pick($0), count: maximum($0)) }
            }
            // HPA workloads at the peak their replayed HPA reached (current and recommended alike);
            // others at their declared replicas, or the HPA maximum when there was no replay.
            let currentPods = pods({ $0.current.requests },
                                   maximum: { $0.hpa?.currentOutcome?.peakReplicas ?? inventory[$0.container]?.hpa?.maxReplicas ?? $0.replicas })
            let recommendedPods = pods({ $0.recommended.requests },
                                       maximum: { $0.hpa?.recommendedOutcome.peakReplicas ?? inventory[$0.container]?.hpa?.maxReplicas ?? $0.replicas })
            let currentOverhead = overhead { $0.current.requests }, recommendedOverhead = overhead { $0.recommended.requests }
            func fits(_ pod: PoolPlanner.PodSpec, _ overhead: DaemonSetOverhead) -> Bool {
                PoolPlanner.fitsSomeType(pod.requests, catalog: catalog, daemonSetOverhead: overhead.requests, daemonSetPods: overhead.pods, reserve: reserve)
            }
            // Each plan leaves out the pods no node type holds at its requests, and says so.
            let currentKept = currentPods.filter { fits($0, currentOverhead) }, recommendedKept = recommendedPods.filter { fits($0, recommendedOverhead) }
            func unplaced(_ pods: [PoolPlanner.PodSpec], _ overhead: DaemonSetOverhead, _ plan: String) -> [String] {
                pods.filter { !fits($0, overhead) }.map { pod in
                    "\(pod.name) at its \(plan) requests (\(pod.requests.cpu?.canonical ?? "0") CPU, \(pod.requests.memory?.roundedUp(toMultipleOf: .mebibyte).canonical ?? "0")) is larger than every node type: left out of the \(plan) plan"
                }
            }
            let left = unplaced(currentPods, currentOverhead, "current") + unplaced(recommendedPods, recommendedOverhead, "recommended")
            var advice = PoolAdvice(pool: name, zones: zones, pods: recommendedKept.reduce(0) { $0 + $1.count },
                                    daemonSetOverhead: recommendedOverhead.requests, daemonSetPods: recommendedOverhead.pods, reserve: reserve,
                                    current: nil, recommended: nil, unplacedPods: left.isEmpty ? nil : left)
            do {
                advice.current = try PoolPlanner.plan(currentKept, zones: zones, daemonSetOverhead: currentOverhead.requests,
                                                      daemonSetPods: currentOverhead.pods, reserve: reserve, catalog: catalog, hoursPerMonth: hoursPerMonth)
                advice.recommended = try PoolPlanner.plan(recommendedKept, zones: zones, daemonSetOverhead: recommendedOverhead.requests,
                                                          daemonSetPods: recommendedOverhead.pods, reserve: reserve, catalog: catalog,
                                                          hoursPerMonth: hoursPerMonth)
            } catch {
                advice.current = nil
                advice.recommended = nil
                advice.problem = error.description
            }
            plans.append(advice)
        }
        return plans
    }
}
