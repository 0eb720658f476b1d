import HeadroomCore
import HeadroomRecommend

/// Which nodes of a pool could be drained: the pool's pods (at their current requests) binpacked
/// onto the pool's own node type; nodes beyond that count (the cheapest plan keeps the zone
/// spread) are candidates, most expensive first. Pod placement per node is not known here, so the
/// candidates are the pool's last nodes by name; the scheduler repacks their pods.
public enum NodeDrainPlanner {
    public struct Drain: Sendable, Hashable, Codable {
        public var pool: String
        public var instanceType: String
        public var nodes: [String]
        public var keep: Int
        public var monthlySaving: Microdollars
        public var requested: ResourceAmounts
        public var allocatable: ResourceAmounts
    }

    /// - Parameter daemonSets: what the pool's DaemonSets take off every node (as in `advise`'s node plans).
    public static func plan(pool: String, nodes: [PricedNode], pods: [PoolPlanner.PodSpec], zones: Int, catalog: PriceCatalog,
                            daemonSets: DaemonSetOverhead = .none) -> Drain? {
        guard let type = nodes.first?.node.instanceType, nodes.allSatisfy({ $0.node.instanceType == type }),
              let listed = catalog.nodeTypes[type] else { return nil }
        let nodeType = NodeType(name: type, vcpu: listed.vcpu, memoryGiB: listed.memoryGiB, maxPods: listed.maxPods, microdollarsPerHour: listed.onDemand)
        guard let needed = try? PoolPlanner.plan(pods, zones: max(1, min(zones, nodes.count)), daemonSetOverhead: daemonSets.requests,
                                                 daemonSetPods: daemonSets.pods, catalog: [nodeType]) else { return nil }
        let keep = max(needed.nodes, 1)
        guard keep < nodes.count else { return nil }
        let drained = Array(nodes.sorted { $0.node.name < $1.node.name }.suffix(nodes.count - keep))
        return Drain(pool: pool, instanceType: type, nodes: drained.map(\.node.name), keep: keep,
                     monthlySaving: drained.reduce(0) { $0 + $1.hourly } * catalog.units.hoursPerMonth,
                     requested: pods.reduce(.zero) { $0 + $1.requests.times($1.count) },
                     allocatable: nodes.reduce(.zero) { $0 + $1.node.allocatable })
    }
}
