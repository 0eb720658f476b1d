import HeadroomCore
import HeadroomRecommend

/// Every reclamation rule, as a pure function of what the store holds: idle workloads, requests
/// above the recommendation, drainable nodes, pools running nothing, volumes nobody mounts.
public enum ReclaimPlanner {
    public struct Input: Sendable {
        /// Stored daily container costs over `costDays`.
        public var costs: [StoredContainerCost]
        public var costDays: [Int64]
        public var containers: [ContainerID]
        public var inventory: [ContainerID: InventoryRecord]
        public var catalog: PriceCatalog
        public var pricedNodes: [PricedNode]
        public var volumes: [VolumeRecord]
        /// CPU over the idle window per container (the idle rule's evidence).
        public var activity: [ContainerID: CPUActivity]
        /// The forecast strategy's advice for the containers that are not idle (no HPA replay).
        public var advice: [ContainerAdvice]
        public var idleDays: Int
        public var minimumSaving: Microdollars

        public init(costs: [StoredContainerCost], costDays: [Int64], containers: [ContainerID], inventory: [ContainerID: InventoryRecord],
                    catalog: PriceCatalog, pricedNodes: [PricedNode], volumes: [VolumeRecord], activity: [ContainerID: CPUActivity],
                    advice: [ContainerAdvice], idleDays: Int, minimumSaving: Microdollars) {
            self.costs = costs
            self.costDays = costDays
            self.containers = containers
            self.inventory = inventory
            self.catalog = catalog
            self.pricedNodes = pricedNodes
            self.volumes = volumes
            self.activity = activity
            self.advice = advice
            self.idleDays = idleDays
            self.minimumSaving = minimumSaving
        }
    }

    /// Workloads with a container idle over the window (DaemonSets excepted: they run wherever
    /// nodes run).
    public static func idleWorkloads(_ activity: [ContainerID: CPUActivity]) -> Set<WorkloadID> {
        Set(activity.filter { $0.key.workload.kind != .daemonSet && $0.value.isIdle }.map(\.key.workload))
    }

    public static func plan(_ input: Input) -> ReclaimPlan {
        var dailyCost: [ContainerID: Int64] = [:]
        for row in input.costs { dailyCost[row.container, default: 0] += row.total }
        let nodesByPool = Dictionary(grouping: input.pricedNodes) { NodePools.name(of: $0.node) }
        let nodePools = NodePools(input.pricedNodes.map(\.node))
        /// The rates of the pool a declared pool is charged in (unit prices without one).
        func rates(_ declared: String?) -> ResourceRates {
            ResourceRates(nodes: nodePools.pool(forDeclared: declared).flatMap { nodesByPool[$0] } ?? [], units: input.catalog.units)
        }
        let hoursPerMonth = input.catalog.units.hoursPerMonth
        /// The average stored day × the days of a billing month.
        func monthlyFromDaily(_ container: ContainerID) -> Int64 { (dailyCost[container] ?? 0) * hoursPerMonth / (24 * Int64(input.costDays.count)) }
        let idleBelow = Int(UsageProfile.idleBelowMillicores)

        var items: [ReclaimItem] = []
        let idle = idleWorkloads(input.activity)
        let containersOfIdle = Dictionary(grouping: input.containers.filter { idle.contains($0.workload) }, by: \.workload)
        for workload in idle.sorted() {
            let members = containersOfIdle[workload] ?? []
            let saving = members.reduce(Int64(0)) { $0 + monthlyFromDaily($1) }
            guard saving >= input.minimumSaving else { continue }
            let replicas = members.compactMap { input.inventory[$0]?.replicas }.max() ?? 1
            items.append(ReclaimItem(
                kind: .idleWorkload, target: workload.description, monthlySavingMicrodollars: saving,
                risk: "low: no CPU use above \(idleBelow)m in \(input.idleDays) days; scale back with --replicas=\(replicas)",
                evidence: "CPU P95 under \(idleBelow)m for \(input.idleDays) days; \(Money.dollars(saving)) a month allocated",
                command: "kubectl scale \(workload.kind.rawValue.lowercased())/\(workload.name) -n \(workload.namespace) --replicas=0"))
        }

        // Over-provisioned requests: the forecast strategy's recommendation, where it lowers cost.
        for (workload, members) in Dictionary(grouping: input.advice, by: \.container.workload).sorted(by: { $0.key < $1.key }) {
            guard workload.kind.isPatchable, !idle.contains(workload) else { continue }
            var saving: Int64 = 0
            for row in members {
                // Net: a memory increase (a leak's floor, say) is paid for out of the CPU freed.
                let rate = rates(input.inventory[row.container]?.nodePool)
                saving += (rate.monthly(row.current.requests) - rate.monthly(row.recommended.requests)) * Int64(row.replicas)
            }
            guard saving >= input.minimumSaving else { continue }
            let risk = ReplayedRiskTotals(members)
            let file = "patches/\(workload.namespace)/\(workload.name).patch.yaml"
            items.append(ReclaimItem(
                kind: .overProvisioned, target: workload.description, monthlySavingMicrodollars: saving,
                risk: "replayed over \(risk.replayedSpan): OOM buckets \(risk.currentOOMBuckets) → \(risk.recommendedOOMBuckets), CPU pressure \(risk.currentCPUPressureMinutes) → \(risk.recommendedCPUPressureMinutes) min",
                evidence: members.map { "\($0.container.container) CPU \($0.current.requests.cpu?.canonical ?? "-") → \($0.recommended.requests.cpu?.canonical ?? "-"), memory \($0.current.requests.memory?.canonical ?? "-") → \($0.recommended.requests.memory?.canonical ?? "-")" }.joined(separator: "; "),
                command: "kubectl patch \(workload.kind.rawValue.lowercased()) \(workload.name) -n \(workload.namespace) --type strategic --patch-file \(file)",
                patchFile: file, workload: workload))
        }

        // Nodes: drainable nodes per pool, and pools that run nothing.
        let byPool = Dictionary(grouping: input.inventory.values.filter { $0.container.workload.kind != .daemonSet }) {
            nodePools.pool(forDeclared: $0.nodePool) ?? "(no priced pool)"
        }
        // DaemonSets pinned to a pool with nodes run there; others on every pool.
        let daemonSets = input.inventory.values.filter { $0.container.workload.kind == .daemonSet }.sorted { $0.container < $1.container }.map {
            DaemonSetOverhead.Member(container: $0.container, requests: $0.requests, pool: $0.nodePool.flatMap { nodePools.names.contains($0) ? $0 : nil })
        }
        for (pool, nodes) in nodesByPool.sorted(by: { $0.key < $1.key }) {
            guard let members = byPool[pool], !members.isEmpty else {
                let saving = nodes.reduce(0) { $0 + $1.hourly } * hoursPerMonth
                items.append(ReclaimItem(
                    kind: .emptyPool, target: "pool \(pool) (\(nodes.count) × \(nodes.first?.node.instanceType ?? "?"))", monthlySavingMicrodollars: saving,
                    risk: "low: no workload in the inventory runs there (check for pods outside Headroom's view)",
                    evidence: "\(nodes.count) nodes, no scheduled workload",
                    command: nodes.map { "kubectl drain \($0.node.name) --ignore-daemonsets --delete-emptydir-data" }.joined(separator: " && ")
                        + "  # then scale node group \(pool) to 0"))
                continue
            }
            let pods = members.map { PoolPlanner.PodSpec(name: $0.container.description, requests: $0.requests, count: $0.hpa?.maxReplicas ?? $0.replicas ?? 1) }
            let zones = Set(nodes.compactMap(\.node.zone)).count
            let overhead = DaemonSetOverhead.onNodes(of: pool, daemonSets: daemonSets)
            guard let drain = NodeDrainPlanner.plan(pool: pool, nodes: nodes, pods: pods, zones: zones, catalog: input.catalog, daemonSets: overhead),
                  drain.monthlySaving >= input.minimumSaving else { continue }
            items.append(ReclaimItem(
                kind: .drainNodes, target: "pool \(pool): \(drain.nodes.joined(separator: ", "))", monthlySavingMicrodollars: drain.monthlySaving,
                risk: "medium: pods reschedule onto \(drain.keep) nodes (PodDisruptionBudgets apply); HPA peaks included",
                evidence: "requests \(drain.requested.cpu?.canonical ?? "0") / \(drain.requested.memory?.roundedUp(toMultipleOf: .mebibyte).canonical ?? "0") of \(drain.allocatable.cpu?.canonical ?? "0") / \(drain.allocatable.memory?.roundedUp(toMultipleOf: .mebibyte).canonical ?? "0") allocatable fit \(drain.keep) × \(drain.instanceType)"
                    + (overhead.pods > 0 ? " beside \(overhead.pods) DaemonSet pod(s) per node (\(overhead.requests.cpu?.canonical ?? "0") / \(overhead.requests.memory?.roundedUp(toMultipleOf: .mebibyte).canonical ?? "0"))" : ""),
                command: drain.nodes.map { "kubectl cordon \($0) && kubectl drain \($0) --ignore-daemonsets --delete-emptydir-data" }.joined(separator: " && ")
                    + "  # then lower node group \(pool) to \(drain.keep)"))
        }
        // Volumes nobody mounts: their whole storage cost.
        for volume in input.volumes where volume.isUnattached {
            let saving = input.catalog.volumeMonthly(bytes: volume.capacityBytes)
            guard saving >= input.minimumSaving else { continue }
            let claim = volume.claimName.map { " (claim \(volume.claimNamespace ?? "")/\($0))" } ?? ""
            items.append(ReclaimItem(
                kind: .unattachedVolume, target: "volume \(volume.name)\(claim)", monthlySavingMicrodollars: saving,
                risk: "high if the data matters: deleting a volume deletes its data; snapshot it first",
                evidence: "\(volume.phase), \(MemoryQuantity(bytes: volume.capacityBytes).canonical) \(volume.storageClass ?? ""), mounted by no pod",
                command: "kubectl get pv \(volume.name) -o yaml > \(volume.name).yaml && kubectl delete pv \(volume.name)  # after a snapshot"))
        }
        items.sort { $0.monthlySavingMicrodollars > $1.monthlySavingMicrodollars }
        return ReclaimPlan(auditID: nil, costDays: input.costDays, items: items, monthlySaving: items.reduce(0) { $0 + $1.monthlySavingMicrodollars },
                           notCovered: [])
    }
}
