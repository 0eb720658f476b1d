import HeadroomConfig
import HeadroomCore
import HeadroomRecommend

/// A capacity plan: environments with their workloads' declared replicas and requests, as in
/// `fixtures/terrafusion/plan.yaml`, and the plan's own resource estimate if it has one.
public struct CapacityPlan: Sendable {
    public struct Workload: Sendable, Hashable {
        public var name: String
        public var minReplicas: Int
        public var maxReplicas: Int
        public var requests: ResourceAmounts
        public var nodePool: String
        public var volume: MemoryQuantity?
    }
    public struct Estimate: Sendable, Hashable, Codable {
        public var cpuCores: Double
        public var memory: MemoryQuantity
        public var monthlyLow: Microdollars
        public var monthlyHigh: Microdollars
    }
    public struct Environment: Sendable {
        public var name: String
        public var zones: Int
        public var workloads: [Workload]
        public var estimate: Estimate?
    }
    public var environments: [Environment]

    public static func load(_ path: String) throws(ConfigError) -> CapacityPlan { try parse(LocatedYAML.load(path)) }

    public static func parse(_ document: LocatedYAML) throws(ConfigError) -> CapacityPlan {
        _ = try document.mapping(allowed: ["platform", "cluster", "environments"], what: "a plan")
        var environments: [Environment] = []
        for (index, node) in try document.required("environments", in: "a plan").sequence(what: "environments").enumerated() {
            let what = "environments[\(index)]"
            _ = try node.mapping(allowed: ["name", "zones", "nodePools", "resourceEstimate", "workloads"], what: what)
            let name = try node.required("name", in: what).string(what: "\(what).name")
            let zones = try node.optional("zones").map { zones throws(ConfigError) in try zones.sequence(what: "\(what).zones").count } ?? 1
            var estimate: Estimate?
            if let estimateNode = node.optional("resourceEstimate") {
                let e = "\(what).resourceEstimate"
                _ = try estimateNode.mapping(allowed: ["cpuCores", "memory", "monthlyCostUSD"], what: e)
                let cost = try estimateNode.required("monthlyCostUSD", in: e)
                func usd(_ key: String) throws(ConfigError) -> Microdollars {
                    let value = try cost.required(key, in: "\(e).monthlyCostUSD")
                    guard let micro = Money.microdollars(try value.string(what: "\(e).monthlyCostUSD.\(key)")) else { throw value.fail("not a USD amount") }
                    return micro
                }
                estimate = Estimate(cpuCores: try estimateNode.required("cpuCores", in: e).number(what: "\(e).cpuCores", in: 0...1_000_000),
                                    memory: try estimateNode.required("memory", in: e).memory(what: "\(e).memory"),
                                    monthlyLow: try usd("low"), monthlyHigh: try usd("high"))
            }
            var workloads: [Workload] = []
            for (position, entry) in try node.required("workloads", in: what).sequence(what: "\(what).workloads").enumerated() {
                let w = "\(what).workloads[\(position)]"
                _ = try entry.mapping(allowed: ["name", "kind", "container", "replicas", "requests", "limits", "nodePool", "hpa", "volume"], what: w)
                let replicas = try entry.required("replicas", in: w)
                let minimum = try replicas.required("min", in: "\(w).replicas").integer(what: "\(w).replicas.min", in: 0...10_000)
                let maximum = try replicas.required("max", in: "\(w).replicas").integer(what: "\(w).replicas.max", in: 0...10_000)
                guard minimum <= maximum else { throw replicas.fail("\(w).replicas: min \(minimum) is above max \(maximum)") }
                let requests = try entry.required("requests", in: w)
                workloads.append(Workload(
                    name: try entry.required("name", in: w).string(what: "\(w).name"), minReplicas: minimum, maxReplicas: maximum,
                    requests: ResourceAmounts(cpu: try requests.required("cpu", in: "\(w).requests").cpu(what: "\(w).requests.cpu"),
                                              memory: try requests.required("memory", in: "\(w).requests").memory(what: "\(w).requests.memory")),
                    nodePool: try entry.optional("nodePool").map { pool throws(ConfigError) in try pool.string(what: "\(w).nodePool") } ?? name,
                    volume: try entry.optional("volume").map { volume throws(ConfigError) in try volume.required("size", in: "\(w).volume").memory(what: "\(w).volume.size") }))
            }
            environments.append(Environment(name: name, zones: zones, workloads: workloads, estimate: estimate))
        }
        return CapacityPlan(environments: environments)
    }
}

/// Our estimate of one environment: node counts per pool at peak replicas, node and volume cost.
public struct EnvironmentEstimate: Sendable, Codable {
    public struct Pool: Sendable, Codable {
        public var pool: String
        public var plan: PoolPlanner.Plan
    }
    public var environment: String
    public var requestsAtMin: ResourceAmounts
    public var requestsAtMax: ResourceAmounts
    public var pools: [Pool]
    public var nodesMonthly: Microdollars
    public var volumesMonthly: Microdollars
    public var monthly: Microdollars { nodesMonthly + volumesMonthly }
    public var planEstimate: CapacityPlan.Estimate?

    /// Pods at their maximum replicas are binpacked per pool onto `catalog` (cheapest plan, zone
    /// multiples); volumes at the storage rate.
    public static func estimate(_ environment: CapacityPlan.Environment, catalog: [NodeType], prices: PriceCatalog) throws(PoolPlanner.Failure) -> EnvironmentEstimate {
        func total(_ replicas: (CapacityPlan.Workload) -> Int) -> ResourceAmounts {
            environment.workloads.reduce(.zero) { $0 + $1.requests.times(replicas($1)) }
        }
        var pools: [Pool] = []
        for (pool, members) in Dictionary(grouping: environment.workloads, by: \.nodePool).sorted(by: { $0.key < $1.key }) {
            let pods = members.filter { $0.maxReplicas > 0 }.map { PoolPlanner.PodSpec(name: $0.name, requests: $0.requests, count: $0.maxReplicas) }
            pools.append(Pool(pool: pool, plan: try PoolPlanner.plan(pods, zones: environment.zones, catalog: catalog)))
        }
        let volumes = environment.workloads.reduce(Int64(0)) { $0 + ($1.volume.map { prices.volumeMonthly(bytes: $0.bytes) } ?? 0) * Int64($1.maxReplicas) }
        return EnvironmentEstimate(environment: environment.name, requestsAtMin: total(\.minReplicas), requestsAtMax: total(\.maxReplicas), pools: pools,
                                   nodesMonthly: pools.reduce(0) { $0 + $1.plan.monthlyMicrodollars }, volumesMonthly: volumes,
                                   planEstimate: environment.estimate)
    }
}
