import HeadroomCore
import HeadroomCost

/// Reads a capacity plan such as `fixtures/terrafusion/plan.yaml` (environments, zones, workloads
/// with replicas, requests, node pool and volumes, and the plan's own estimate), every bad value
/// an error at its line.
public enum CapacityPlanFile {
    public static func load(_ path: String) throws(ConfigError) -> CapacityPlan { try parse(LocatedYAML.load(path)) }

    public static func parse(_ document: LocatedYAML) throws(ConfigError) -> CapacityPlan {
        _ = try document.mapping(allowed: ["platform", "cluster", "environments"], what: "a plan")
        var environments: [CapacityPlan.Environment] = []
        for (index, node) in try document.required("environments", in: "a plan").sequence(what: "environments").enumerated() {
            let what = "environments[\(index)]"
            _ = try node.mapping(allowed: ["name", "zones", "nodePools", "resourceEstimate", "workloads"], what: what)
            let name = try node.required("name", in: what).string(what: "\(what).name")
            let zones = try node.optional("zones").map { zones throws(ConfigError) in try zones.sequence(what: "\(what).zones").count } ?? 1
            var estimate: CapacityPlan.Estimate?
            if let estimateNode = node.optional("resourceEstimate") {
                let e = "\(what).resourceEstimate"
                _ = try estimateNode.mapping(allowed: ["cpuCores", "memory", "monthlyCostUSD"], what: e)
                let cost = try estimateNode.required("monthlyCostUSD", in: e)
                func usd(_ key: String) throws(ConfigError) -> Microdollars {
                    let value = try cost.required(key, in: "\(e).monthlyCostUSD")
                    guard let micro = Money.microdollars(try value.string(what: "\(e).monthlyCostUSD.\(key)")) else { throw value.fail("not a USD amount") }
                    return micro
                }
                estimate = CapacityPlan.Estimate(cpuCores: try estimateNode.required("cpuCores", in: e).number(what: "\(e).cpuCores", in: 0...1_000_000),
                                    memory: try estimateNode.required("memory", in: e).memory(what: "\(e).memory"),
                                    monthlyLow: try usd("low"), monthlyHigh: try usd("high"))
            }
            var workloads: [CapacityPlan.Workload] = []
            for (position, entry) in try node.required("workloads", in: what).sequence(what: "\(what).workloads").enumerated() {
                let w = "\(what).workloads[\(position)]"
                _ = try entry.mapping(allowed: ["name", "kind", "container", "replicas", "requests", "limits", "nodePool", "hpa", "volume"], what: w)
                let replicas = try entry.required("replicas", in: w)
                let minimum = try replicas.required("min", in: "\(w).replicas").integer(what: "\(w).replicas.min", in: 0...10_000)
                let maximum = try replicas.required("max", in: "\(w).replicas").integer(what: "\(w).replicas.max", in: 0...10_000)
                guard minimum <= maximum else { throw replicas.fail("\(w).replicas: min \(minimum) is above max \(maximum)") }
                let requests = try entry.required("requests", in: w)
                workloads.append(CapacityPlan.Workload(
                    name: try entry.required("name", in: w).string(what: "\(w).name"), minReplicas: minimum, maxReplicas: maximum,
                    requests: ResourceAmounts(cpu: try requests.required("cpu", in: "\(w).requests").cpu(what: "\(w).requests.cpu"),
                                              memory: try requests.required("memory", in: "\(w).requests").memory(what: "\(w).requests.memory")),
                    nodePool: try entry.optional("nodePool").map { pool throws(ConfigError) in try pool.string(what: "\(w).nodePool") } ?? name,
                    volume: try entry.optional("volume").map { volume throws(ConfigError) in try volume.required("size", in: "\(w).volume").memory(what: "\(w).volume.size") }))
            }
            environments.append(CapacityPlan.Environment(name: name, zones: zones, workloads: workloads, estimate: estimate))
        }
        return CapacityPlan(environments: environments)
    }
}
