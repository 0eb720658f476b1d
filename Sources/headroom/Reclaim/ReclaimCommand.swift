import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomRecommend

/// `headroom reclaim`: a dry-run plan of what can be given back, each item with its monthly
/// saving, risk, evidence and the exact change; recorded in the audit table every time.
struct ReclaimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclaim",
        abstract: "Plan what can be reclaimed: idle workloads, over-provisioned requests, drainable nodes, empty pools.",
        discussion: """
            Always a dry run: Headroom deletes, scales and applies nothing. --write DIR writes the patches (DIR/patches/NAMESPACE/NAME.patch.yaml), the commands (DIR/commands.sh, for review; not run) and the plan (DIR/plan.json). Every plan is recorded in the store's reclaim_audit table with the time, the user, the inputs and the plan ('headroom reclaim --history' lists them).

            Items:
              idle workload      CPU P95 under 5m for --idle-days: scale to zero
              over-provisioned   requests above advise's recommendation: patch
              drain nodes        the pool's pods fit fewer nodes: drain the rest
              empty pool         nodes running no workload: scale the group to zero
              unattached volume  a PV no pod mounts: delete after a snapshot

            Savings: idle workloads at their allocated cost (the average of the last --idle-days stored days over a billing month), requests and nodes at the rates allocation charges, volumes at the storage rate; a billing month is hours_per_month of models/pricing/defaults.yaml (730).

            Examples:
              headroom reclaim
              headroom reclaim --write reclaim-2026-11/ -o json
              headroom reclaim --history
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var priceOptions: PriceOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Days of near-zero CPU that make a workload idle.") var idleDays: Int = 7
    @Option(help: "Smallest monthly saving (USD) worth an item.") var minimumSaving: String = "1"
    @Option(help: "Write patches, commands and the plan here for review.") var write: String?
    @Option(help: "Sizing overrides file (YAML) for the recommended requests (as advise --overrides).") var overrides: String?
    @Flag(help: "List the recorded plans instead.") var history = false
    @OptionGroup var jobs: JobsOption

    func validate() throws {
        guard idleDays >= 1 && idleDays <= 60 else { throw ValidationError("--idle-days must be 1…60") }
        guard Money.microdollars(minimumSaving) != nil else { throw ValidationError("--minimum-saving \"\(minimumSaving)\" is not a USD amount") }
    }

    func run() async throws {
        let store = try await self.store.openBackend(existing: true)
        if history {
            let plans = try await store.reclaimPlans()
            var table = TextTable(headers: ["ID", "CREATED (UTC)", "USER", "ITEMS", "$/MONTH", "COMMAND"])
            table.rightAligned = [0, 3, 4]
            for plan in plans {
                table.rows.append([String(plan.id), ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(plan.createdAt))),
                                   plan.user, String(plan.items), Money.dollars(plan.monthlySavingMicrodollars), plan.command])
            }
            print(try Render.output(plans, format: output.format) { table.render() }, terminator: "")
            return
        }
        var options = ReclaimOptions(catalog: try priceOptions.catalog())
        options.idleDays = idleDays
        options.minimumSaving = Money.microdollars(minimumSaving)!
        options.jobs = jobs.count
        options.overrides = try loadOverrides(overrides)
        let engine = try await EngineCall.run { try await Engine(store: store, selecting: cluster.name) }
        let plan = try await EngineCall.run { try await engine.reclaim(options) }
        let user = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "uid-\(getuid())"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let inputs = ReclaimInputs(store: store.location, cluster: engine.cluster, prices: priceOptions.prices, overrides: overrides, idleDays: idleDays, minimumSaving: minimumSaving,
                                   costDays: plan.costDays, write: write)
        let id = try await store.recordReclaimPlan(createdAt: Int64(Date().timeIntervalSince1970), user: user,
                                             command: (["headroom"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                                             inputs: String(decoding: try encoder.encode(inputs), as: UTF8.self), items: plan.items.count,
                                             monthlySavingMicrodollars: plan.monthlySaving, plan: String(decoding: try encoder.encode(plan), as: UTF8.self))
        var report = plan
        report.auditID = id
        if let write { try ReclaimWriter(directory: write).write(report) }
        ClusterOptions.reportWarnings(engine)
        print(try Render.output(report, format: output.format) { report.table + (write.map { "Wrote patches, commands.sh and plan.json to \($0) (nothing applied).\n" } ?? "") }, terminator: "")
    }
}

struct ReclaimInputs: Encodable {
    var store: String
    var cluster: String
    var prices: String?
    var overrides: String?
    var idleDays: Int
    var minimumSaving: String
    var costDays: [Int64]
    var write: String?
}
