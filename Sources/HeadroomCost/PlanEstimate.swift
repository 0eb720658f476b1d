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

        public init(name: String, minReplicas: Int, maxReplicas: Int, requests: ResourceAmounts, nodePool: String, volume: MemoryQuantity?) {
            self.name = name
            self.minReplicas = minReplicas
            self.maxReplicas = maxReplicas
            self.requests = requests
            self.nodePool = nodePool
            self.volume = volume
        }
    }
    public struct Estimate: Sendable, Hashable, Codable {
        public var cpuCores: Double
        public var memory: MemoryQuantity
        public var monthlyLow: Microdollars
        public var monthlyHigh: Microdollars

        public init(cpuCores: Double, memory: MemoryQuantity, monthlyLow: Microdollars, monthlyHigh: Microdollars) {
            self.cpuCores = cpuCores
            self.memory = memory
            self.monthlyLow = monthlyLow
            self.monthlyHigh = monthlyHigh
        }
    }
    public struct Environment: Sendable {
        public var name: String
        public var zones: Int
        public var workloads: [Workload]
        public var estimate: Estimate?

        public init(name: String, zones: Int, workloads: [Workload], estimate: Estimate?) {
            self.name = name
            self.zones = zones
            self.workloads = workloads
            self.estimate = estimate
        }
    }
    public var environments: [Environment]

    public init(environments: [Environment]) { self.environments = environments }
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
            pools.append(Pool(pool: pool, plan: try PoolPlanner.plan(pods, zones: environment.zones, catalog: catalog, hoursPerMonth: prices.units.hoursPerMonth)))
        }
        let volumes = environment.workloads.reduce(Int64(0)) { $0 + ($1.volume.map { prices.volumeMonthly(bytes: $0.bytes) } ?? 0) * Int64($1.maxReplicas) }
        return EnvironmentEstimate(environment: environment.name, requestsAtMin: total(\.minReplicas), requestsAtMax: total(\.maxReplicas), pools: pools,
                                   nodesMonthly: pools.reduce(0) { $0 + $1.plan.monthlyMicrodollars }, volumesMonthly: volumes,
                                   planEstimate: environment.estimate)
    }
}

extension CapacityPlan {
    /// Every environment estimated on the AWS us-east-1 node types of `prices` at the user's terms.
    /// A failure names the environment.
    public func estimate(prices: PriceCatalog) throws(PoolPlanner.Failure) -> [EnvironmentEstimate] {
        let types = prices.planningTypes(NodeCatalog.awsUSEast1.map(\.name))
        var estimates: [EnvironmentEstimate] = []
        for environment in environments {
            do { estimates.append(try EnvironmentEstimate.estimate(environment, catalog: types, prices: prices)) } catch {
                throw PoolPlanner.Failure(message: "environment \(environment.name): \(error)")
            }
        }
        return estimates
    }
}
