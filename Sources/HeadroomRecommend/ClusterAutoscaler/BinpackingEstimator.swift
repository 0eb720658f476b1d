/// The Cluster Autoscaler's binpacking estimator (`estimator/binpacking_estimator.go`): how many
/// new nodes of one template a set of pending pod groups needs. Groups are ordered by
/// decreasing `cpu/nodeCPU + memory/nodeMemory` (first-fit decreasing over groups); each pod
/// first tries the nodes added so far, then only the most recently added node, then a new node
/// while the limit allows. Predicates modelled: resources, pod count, host ports (the
/// scheduler's NodePorts filter: one pod per node per port and protocol, a wildcard host IP
/// clashing with any), and a simplified topology spread among the pods of one group
/// (DoNotSchedule; per-host spread counts the new nodes as domains, other keys also count the
/// existing nodes' domains, which hold no matching pods). Not modelled: affinity.
public struct BinpackingEstimator: Sendable {
    public struct NodeShape: Sendable, Hashable {
        public var cpuMillicores: Int64
        public var memoryBytes: Int64
        public var maxPods: Int
        public init(cpuMillicores: Int64, memoryBytes: Int64, maxPods: Int) {
            self.cpuMillicores = cpuMillicores
            self.memoryBytes = memoryBytes
            self.maxPods = maxPods
        }
    }

    /// `topologySpreadConstraints` of a group, counting the group's own pods.
    public struct TopologySpread: Sendable, Hashable {
        /// True for `kubernetes.io/hostname` (each node is a domain).
        public var perHost: Bool
        public var maxSkew: Int
        public var minDomains: Int
        /// Domains of this key among nodes that already exist (e.g. their zones).
        public var existingDomains: Set<String>
        /// The domain new nodes of the template fall in (non-host keys).
        public var templateDomain: String
        public init(perHost: Bool, maxSkew: Int, minDomains: Int = 1, existingDomains: Set<String> = [], templateDomain: String = "") {
            self.perHost = perHost
            self.maxSkew = maxSkew
            self.minDomains = minDomains
            self.existingDomains = existingDomains
            self.templateDomain = templateDomain
        }
    }

    /// A host port a pod binds (`containers[].ports[].hostPort`).
    public struct HostPort: Sendable, Hashable {
        public var port: Int
        public var protocolName: String
        /// "0.0.0.0" (any address) by default.
        public var hostIP: String

        public init(port: Int, protocolName: String = "TCP", hostIP: String = "0.0.0.0") {
            self.port = port
            self.protocolName = protocolName
            self.hostIP = hostIP
        }

        /// Two bindings clash on the same port and protocol unless both name different addresses.
        public func conflicts(with other: HostPort) -> Bool {
            port == other.port && protocolName == other.protocolName
                && (hostIP == "0.0.0.0" || other.hostIP == "0.0.0.0" || hostIP == other.hostIP)
        }
    }

    public struct PodGroup: Sendable, Hashable {
        public var count: Int
        public var cpuMillicores: Int64
        public var memoryBytes: Int64
        public var spread: TopologySpread?
        public var hostPorts: [HostPort]
        public init(count: Int, cpuMillicores: Int64, memoryBytes: Int64, spread: TopologySpread? = nil, hostPorts: [HostPort] = []) {
            self.count = count
            self.cpuMillicores = cpuMillicores
            self.memoryBytes = memoryBytes
            self.spread = spread
            self.hostPorts = hostPorts
        }
    }

    public struct Estimate: Sendable, Hashable {
        /// New nodes that received at least one pod.
        public var nodeCount: Int
        public var scheduledPods: Int
        /// Scheduled pods per group, in the caller's group order.
        public var scheduledPerGroup: [Int]
    }

    public let node: NodeShape
    /// At most this many new nodes (0 = no limit).
    public let maxNodes: Int

    public init(node: NodeShape, maxNodes: Int = 0) {
        self.node = node
        self.maxNodes = maxNodes
    }

    private struct SimulatedNode {
        var cpu: Int64 = 0
        var memory: Int64 = 0
        var pods = 0
        /// Pods per group index on this node (for topology spread).
        var groupPods: [Int: Int] = [:]
        var hostPorts: [HostPort] = []

        /// Resources, pod count and host ports admit one more pod of `group` on a node of `shape`.
        func admits(_ group: PodGroup, on shape: NodeShape) -> Bool {
            cpu + group.cpuMillicores <= shape.cpuMillicores && memory + group.memoryBytes <= shape.memoryBytes && pods + 1 <= shape.maxPods
                && !group.hostPorts.contains { wanted in hostPorts.contains { $0.conflicts(with: wanted) } }
        }

        mutating func place(_ group: PodGroup, index: Int) {
            cpu += group.cpuMillicores
            memory += group.memoryBytes
            pods += 1
            groupPods[index, default: 0] += 1
            hostPorts += group.hostPorts
        }
    }

    /// The decreasing-score order of groups (stable for equal scores).
    public func order(_ groups: [PodGroup]) -> [Int] {
        func score(_ group: PodGroup) -> Double {
            var total = 0.0
            if node.cpuMillicores > 0 { total += Double(group.cpuMillicores) / Double(node.cpuMillicores) }
            if node.memoryBytes > 0 { total += Double(group.memoryBytes) / Double(node.memoryBytes) }
            return total
        }
        return groups.indices.sorted { score(groups[$0]) > score(groups[$1]) || (score(groups[$0]) == score(groups[$1]) && $0 < $1) }
    }

    public func estimate(_ groups: [PodGroup]) -> Estimate {
        var nodes: [SimulatedNode] = []
        var scheduled = [Int](repeating: 0, count: groups.count)
        var addingAllowed = true
        func resourcesFit(_ group: PodGroup, _ simulated: SimulatedNode) -> Bool { simulated.admits(group, on: node) }
        /// Skew after placing one more pod of `index` on node `target` (`nodes.count` = a node about to be added).
        func spreadAllows(_ index: Int, on target: Int) -> Bool {
            guard let spread = groups[index].spread else { return true }
            let onTarget = target < nodes.count ? nodes[target].groupPods[index, default: 0] : 0
            var counts: [Int]
            if spread.perHost {
                counts = nodes.map { $0.groupPods[index, default: 0] }
                if target == nodes.count { counts.append(0) }
                let domainCount = counts.count
                let minimum = domainCount < spread.minDomains ? 0 : (counts.min() ?? 0)
                return onTarget + 1 - minimum <= spread.maxSkew
            }
            let onTemplate = nodes.reduce(0) { $0 + $1.groupPods[index, default: 0] }
            let domains = spread.existingDomains.union([spread.templateDomain])
            counts = domains.map { $0 == spread.templateDomain ? onTemplate : 0 }
            let minimum = domains.count < spread.minDomains ? 0 : (counts.min() ?? 0)
            return onTemplate + 1 - minimum <= spread.maxSkew
        }
        func fits(_ index: Int, on target: Int) -> Bool {
            resourcesFit(groups[index], target < nodes.count ? nodes[target] : SimulatedNode()) && spreadAllows(index, on: target)
        }
        func place(_ index: Int, on target: Int) {
            nodes[target].place(groups[index], index: index)
            scheduled[index] += 1
        }
        for index in order(groups) {
            var remaining = groups[index].count
            // a. Nodes added earlier in this estimation.
            while remaining > 0, let target = nodes.indices.first(where: { fits(index, on: $0) }) {
                place(index, on: target)
                remaining -= 1
            }
            // b. The most recently added node (others too when only per-host spread stops it),
            //    then new nodes.
            while remaining > 0 && addingAllowed {
                if let last = nodes.indices.last {
                    if fits(index, on: last) {
                        place(index, on: last)
                        remaining -= 1
                        continue
                    }
                    if groups[index].spread?.perHost == true, resourcesFit(groups[index], nodes[last]),
                       let other = nodes.indices.first(where: { fits(index, on: $0) }) {
                        place(index, on: other)
                        remaining -= 1
                        continue
                    }
                    if nodes[last].pods == 0 { break }  // a fresh node would not help
                }
                if maxNodes > 0 && nodes.count >= maxNodes {
                    addingAllowed = false
                    break
                }
                let fitsNew = fits(index, on: nodes.count)
                nodes.append(SimulatedNode())
                guard fitsNew else { break }
            }
        }
        return Estimate(nodeCount: nodes.filter { $0.pods > 0 }.count, scheduledPods: scheduled.reduce(0, +), scheduledPerGroup: scheduled)
    }

    /// The optional fastpath: the group saving the most simulations (`pods − pods/estimate`,
    /// ties to the later group) is moved last and sized as `ceil(remaining / k)` nodes, `k` being
    /// how many of its pods fit one empty node. Returns nil when no group qualifies.
    public func estimateWithFastpath(_ groups: [PodGroup]) -> Estimate? {
        guard let chosen = fastpathGroup(groups) else { return nil }
        var others = groups
        others[chosen].count = 0
        var result = estimate(others)
        let group = groups[chosen]
        // How many of its pods one empty node takes, by the estimator's own predicates.
        var perNode = 0
        var probe = SimulatedNode()
        while perNode < group.count, probe.admits(group, on: node) {
            probe.place(group, index: chosen)
            perNode += 1
        }
        guard perNode > 0 else { return result }
        var needed = (group.count + perNode - 1) / perNode
        if maxNodes > 0 { needed = min(needed, max(0, maxNodes - result.nodeCount)) }
        let placed = min(group.count, needed * perNode)
        result.nodeCount += needed
        result.scheduledPods += placed
        result.scheduledPerGroup[chosen] = placed
        return result
    }

    /// Which group the fastpath would pick, or nil.
    public func fastpathGroup(_ groups: [PodGroup]) -> Int? {
        var best: (index: Int, saving: Double)?
        for (index, group) in groups.enumerated() where group.count > 0 && group.spread == nil {
            func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { b > 0 ? (a + b - 1) / b : 0 }
            let estimate = max(ceilDiv(Int64(group.count) * group.cpuMillicores, node.cpuMillicores),
                               ceilDiv(Int64(group.count) * group.memoryBytes, node.memoryBytes), 1)
            let saving = Double(group.count) - Double(group.count) / Double(estimate)
            if best == nil || saving >= best!.saving { best = (index, saving) }
        }
        return best?.index
    }
}
