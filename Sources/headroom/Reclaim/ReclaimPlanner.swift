import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomHistory
import HeadroomRecommend

/// One thing to give back.
struct ReclaimItem: Encodable {
    enum Kind: String, Encodable {
        case idleWorkload = "idle workload", overProvisioned = "over-provisioned", drainNodes = "drain nodes", emptyPool = "empty pool"
        case unattachedVolume = "unattached volume"
    }
    var kind: Kind
    var target: String
    var monthlySavingMicrodollars: Int64
    var risk: String
    var evidence: String
    /// The exact change, as a command to run after review.
    var command: String
    /// For request changes: the strategic-merge patch the command applies, and where --write puts it.
    var patchFile: String?
    var patch: String?
}

struct ReclaimPlan: Encodable {
    var auditID: Int64?
    var costDays: [Int64]
    var items: [ReclaimItem]
    var monthlySaving: Int64
    var notCovered: [String]

    var table: String {
        var table = TextTable(headers: ["KIND", "TARGET", "$/MONTH", "RISK", "EVIDENCE"])
        table.rightAligned = [2]
        for item in items {
            table.rows.append([item.kind.rawValue, item.target, Money.dollars(item.monthlySavingMicrodollars), item.risk, item.evidence])
        }
        let commands = items.map { "  \($0.command)" }.joined(separator: "\n")
        return "Reclamation plan\(auditID.map { " #\($0)" } ?? "") (dry run; nothing was changed):\n" + table.render()
            + "\nTotal: \(Money.dollars(monthlySaving)) a month.\nChanges, for review:\n\(commands)\n"
            + (notCovered.isEmpty ? "" : "Not covered: \(notCovered.joined(separator: "; ")).\n")
    }
}

/// Builds the plan from the store: stored daily costs, usage, the advise pipeline's requests and
/// the priced nodes. Reads only.
struct ReclaimPlanner {
    let store: HistoryStore
    let catalog: PriceCatalog
    let idleDays: Int
    let minimumSaving: Microdollars
    let jobs: Int

    func plan() async throws -> ReclaimPlan {
        guard let costRange = try store.costDayRange() else { throw CostCommandError("no stored costs: run 'headroom cost allocate' first") }
        guard let usageRange = try store.usageTimeRange() else { throw CostCommandError("the history store holds no usage") }
        let end = usageRange.upperBound + 300
        let costFrom = max(costRange.lowerBound, costRange.upperBound - Int64(idleDays - 1) * 86_400)
        let costs = try store.containerCosts(from: costFrom, to: costRange.upperBound + 86_400)
        let costDays = Array(stride(from: costFrom, through: costRange.upperBound, by: 86_400))
        var dailyCost: [ContainerID: Int64] = [:]
        for row in costs { dailyCost[row.container, default: 0] += row.total }
        let inventory = Dictionary(try store.latestInventory().map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let priced = catalog.price(try store.latestNodes())
        let nodesByPool = Dictionary(grouping: priced) { $0.node.nodePool ?? "default" }
        func rates(_ pool: String?) -> ResourceRates { ResourceRates(nodes: pool.flatMap { nodesByPool[$0] } ?? [], fallback: catalog.units) }
        func monthlyFromDaily(_ container: ContainerID) -> Int64 { (dailyCost[container] ?? 0) * 730 / (24 * Int64(costDays.count)) }

        var items: [ReclaimItem] = []
        var idleWorkloads: Set<WorkloadID> = []
        let containers = try store.containers()
        for container in containers where container.workload.kind != .daemonSet {
            let series = try store.series(container, resource: .cpu, from: end - Int64(idleDays) * 86_400, to: end)
            let values = series.values.compactMap { $0 }
            guard values.count >= series.values.count / 2, let p95 = Percentile.of(values, 0.95), p95 < UsageProfile.idleBelowMillicores else { continue }
            idleWorkloads.insert(container.workload)
        }
        for workload in idleWorkloads.sorted() {
            let members = containers.filter { $0.workload == workload }
            let saving = members.reduce(Int64(0)) { $0 + monthlyFromDaily($1) }
            guard saving >= minimumSaving else { continue }
            let replicas = members.compactMap { inventory[$0]?.replicas }.max() ?? 1
            items.append(ReclaimItem(
                kind: .idleWorkload, target: workload.description, monthlySavingMicrodollars: saving,
                risk: "low: no CPU use above \(Int(UsageProfile.idleBelowMillicores))m in \(idleDays) days; scale back with --replicas=\(replicas)",
                evidence: "CPU P95 under \(Int(UsageProfile.idleBelowMillicores))m for \(idleDays) days; \(Money.dollars(saving)) a month allocated",
                command: "kubectl scale \(workload.kind.rawValue.lowercased())/\(workload.name) -n \(workload.namespace) --replicas=0"))
        }

        // Over-provisioned requests: the forecast strategy's recommendation, where it lowers cost.
        var advisor = ContainerAdvisor(strategy: .forecast, replaySteps: 2016, overrides: .init())
        advisor.includeHPA = false
        let candidates = containers.filter { !idleWorkloads.contains($0.workload) && $0.workload.kind != .daemonSet }
        let (rows, _) = try await AdvicePipeline.advise(store, containers: candidates, inventory: inventory, ooms: try store.events(kind: .oomKilled),
                                                        from: end - 14 * 86_400, to: end, advisor: advisor, jobs: max(1, jobs), progressLabel: nil)
        for (workload, members) in Dictionary(grouping: rows, by: \.container.workload).sorted(by: { $0.key < $1.key }) {
            guard ManifestWriter.patchableKinds.contains(workload.kind) else { continue }
            var saving: Int64 = 0
            for row in members {
                // Net: a memory increase (a leak's floor, say) is paid for out of the CPU freed.
                let rate = rates(inventory[row.container]?.nodePool)
                saving += (rate.monthly(row.current.requests) - rate.monthly(row.recommended.requests)) * Int64(row.replicas)
            }
            guard saving >= minimumSaving else { continue }
            let oomBefore = members.reduce(0) { $0 + $1.current.risk.oomBuckets }, oomAfter = members.reduce(0) { $0 + $1.recommended.risk.oomBuckets }
            let pressureBefore = members.reduce(0) { $0 + $1.current.risk.cpuPressureMinutes }
            let pressureAfter = members.reduce(0) { $0 + $1.recommended.risk.cpuPressureMinutes }
            let file = "patches/\(workload.namespace)/\(workload.name).patch.yaml"
            items.append(ReclaimItem(
                kind: .overProvisioned, target: workload.description, monthlySavingMicrodollars: saving,
                risk: "replayed over 7 days: OOM buckets \(oomBefore) → \(oomAfter), CPU pressure \(pressureBefore) → \(pressureAfter) min",
                evidence: members.map { "\($0.container.container) CPU \($0.current.requests.cpu?.canonical ?? "-") → \($0.recommended.requests.cpu?.canonical ?? "-"), memory \($0.current.requests.memory?.canonical ?? "-") → \($0.recommended.requests.memory?.canonical ?? "-")" }.joined(separator: "; "),
                command: "kubectl patch \(workload.kind.rawValue.lowercased()) \(workload.name) -n \(workload.namespace) --type strategic --patch-file \(file)",
                patchFile: file, patch: ManifestWriter.patch(workload, members).render()))
        }

        // Nodes: drainable nodes per pool, and pools that run nothing.
        let byPool = Dictionary(grouping: inventory.values.filter { $0.container.workload.kind != .daemonSet }) { $0.nodePool ?? "default" }
        for (pool, nodes) in nodesByPool.sorted(by: { $0.key < $1.key }) {
            guard let members = byPool[pool], !members.isEmpty else {
                let saving = nodes.reduce(0) { $0 + $1.hourly } * 730
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
            guard let drain = NodeDrainPlanner.plan(pool: pool, nodes: nodes, pods: pods, zones: zones, catalog: catalog), drain.monthlySaving >= minimumSaving else { continue }
            items.append(ReclaimItem(
                kind: .drainNodes, target: "pool \(pool): \(drain.nodes.joined(separator: ", "))", monthlySavingMicrodollars: drain.monthlySaving,
                risk: "medium: pods reschedule onto \(drain.keep) nodes (PodDisruptionBudgets apply); HPA peaks included",
                evidence: "requests \(drain.requested.cpu?.canonical ?? "0") / \(drain.requested.memory?.roundedUp(toMultipleOf: .mebibyte).canonical ?? "0") of \(drain.allocatable.cpu?.canonical ?? "0") / \(drain.allocatable.memory?.roundedUp(toMultipleOf: .mebibyte).canonical ?? "0") allocatable fit \(drain.keep) × \(drain.instanceType)",
                command: drain.nodes.map { "kubectl cordon \($0) && kubectl drain \($0) --ignore-daemonsets --delete-emptydir-data" }.joined(separator: " && ")
                    + "  # then lower node group \(pool) to \(drain.keep)"))
        }
        // Volumes nobody mounts: their whole storage cost.
        for volume in try store.latestVolumes() where volume.isUnattached {
            let saving = catalog.volumeMonthly(bytes: volume.capacityBytes)
            guard saving >= minimumSaving else { continue }
            let claim = volume.claimName.map { " (claim \(volume.claimNamespace ?? "")/\($0))" } ?? ""
            items.append(ReclaimItem(
                kind: .unattachedVolume, target: "volume \(volume.name)\(claim)", monthlySavingMicrodollars: saving,
                risk: "high if the data matters: deleting a volume deletes its data; snapshot it first",
                evidence: "\(volume.phase), \(MemoryQuantity(bytes: volume.capacityBytes).canonical) \(volume.storageClass ?? ""), mounted by no pod",
                command: "kubectl get pv \(volume.name) -o yaml > \(volume.name).yaml && kubectl delete pv \(volume.name)  # after a snapshot"))
        }
        items.sort { $0.monthlySavingMicrodollars > $1.monthlySavingMicrodollars }
        return ReclaimPlan(auditID: nil, costDays: costDays, items: items, monthlySaving: items.reduce(0) { $0 + $1.monthlySavingMicrodollars },
                           notCovered: [])
    }
}

/// `--write DIR`: patches, a commands file and the plan, written for review (never run).
struct ReclaimWriter {
    let directory: String

    func write(_ plan: ReclaimPlan) throws {
        let root = URL(fileURLWithPath: directory)
        do {
            for item in plan.items {
                guard let file = item.patchFile, let patch = item.patch else { continue }
                let url = root.appendingPathComponent(file)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(patch.utf8).write(to: url, options: .atomic)
            }
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            var script = "#!/bin/sh\n# Reclamation plan\(plan.auditID.map { " #\($0)" } ?? "") written by headroom reclaim. Review, then run the lines you accept\n"
                + "# from this directory. Headroom itself changes nothing.\nset -eu\nexit 0  # remove after review\n\n"
            for item in plan.items {
                script += "# \(item.kind.rawValue): \(item.target), \(Money.dollars(item.monthlySavingMicrodollars))/month. Risk: \(item.risk)\n\(item.command)\n\n"
            }
            try Data(script.utf8).write(to: root.appendingPathComponent("commands.sh"), options: .atomic)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(plan).write(to: root.appendingPathComponent("plan.json"), options: .atomic)
        } catch {
            throw CostCommandError("cannot write the plan into \(directory): \(error.localizedDescription)")
        }
    }
}
