import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory

extension CostCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report stored daily costs by namespace, workload, container or pool, with idle cost per pool.",
            discussion: """
                Reads what 'headroom cost allocate' stored; nothing is recomputed. Shared namespaces (--shared, default kube-system,monitoring) are spread over the others uniformly or in proportion to their cost, or left as their own lines (--share none); idle cost stays per pool.

                Several clusters in one store (--clusters all, or a comma-separated list): one window for all, ending at the latest day any of them has stored; a breakdown per cluster and the sum, then each cluster's report.

                Examples:
                  headroom cost report
                  headroom cost report --by workload --since 7d -o json
                  headroom cost report --shared kube-system --share proportional
                  headroom cost report --clusters all
                  headroom cost report --clusters production,staging -o json
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var cluster: ClusterOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Window back from the latest stored day.") var since: String = "30d"
        @Option(help: "namespace, workload, container, pool, or label:KEY (such as label:team).") var by: CostGrouping = .namespace
        @Option(help: "Shared namespaces, comma-separated.") var shared: String = "kube-system,monitoring"
        @Option(help: "uniform, proportional or none.") var share: SharedCostDistribution = .proportional
        @OptionGroup var fleet: FleetOptions

        /// How the stored costs are grouped and shared, for one cluster or several.
        var options: CostReport.Options {
            CostReport.Options(by: by, sharedNamespaces: Set(shared.split(separator: ",").map(String.init)), distribution: share)
        }

        func validate() throws {
            try fleet.validate(with: cluster)
        }

        func run() async throws {
            if let names = fleet.selection {
                try await fleetReport(names)
                return
            }
            let engine = try await cluster.engine(store)
            let report = try await EngineCall.run { try await engine.costReport(sinceSeconds: try DurationParser.seconds(since), options: options) }
            ClusterOptions.reportWarnings(engine)
            print(try Render.output(report, format: output.format) { report.table }, terminator: "")
        }
    }
}

extension CostCommand.Report {
    /// `--clusters`: one window over several clusters, their breakdown and their reports.
    private func fleetReport(_ names: [String]?) async throws {
        let history = try await store.openBackend(existing: true)
        let report = try await EngineCall.run {
            try await Engine.fleetCostReport(store: history, clusters: names, sinceSeconds: try DurationParser.seconds(since), options: options)
        }
        for warning in history.takeWarnings() { printError("warning: \(warning)") }
        if !report.withoutCosts.isEmpty {
            printError("no stored costs in the window for \(report.withoutCosts.joined(separator: ", ")): run 'headroom cost allocate --cluster NAME'")
        }
        print(try Render.output(report, format: output.format) { report.table }, terminator: "")
    }
}

extension FleetCostReport {
    var table: String {
        var table = TextTable(headers: ["CLUSTER", "WORKLOADS", "IDLE", "UNATTACHED", "TOTAL", "SHARE"])
        table.rightAligned = [1, 2, 3, 4, 5]
        for cluster in clusters {
            table.rows.append([cluster.cluster, Money.dollars(cluster.workloadsMicrodollars), Money.dollars(cluster.idleMicrodollars),
                               Money.dollars(cluster.unattachedMicrodollars), Money.dollars(cluster.totalMicrodollars),
                               totalMicrodollars > 0 ? String(format: "%.1f%%", Double(cluster.totalMicrodollars) / Double(totalMicrodollars) * 100) : "-"])
        }
        table.rows.append(["all", Money.dollars(workloadsMicrodollars), Money.dollars(idleMicrodollars), Money.dollars(unattachedMicrodollars),
                           Money.dollars(totalMicrodollars), totalMicrodollars > 0 ? "100.0%" : "-"])
        return "Clusters, \(clusters.count) with costs:\n" + table.render()
            + clusters.map { "\nCluster \($0.cluster). " + $0.report.table }.joined()
    }
}

extension CostGrouping: ExpressibleByArgument {}
extension SharedCostDistribution: ExpressibleByArgument {}

extension CostReport {
    var table: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        var table = TextTable(headers: [by.uppercased(), "OWN", "SHARED", "TOTAL"])
        table.rightAligned = [1, 2, 3]
        for line in lines {
            table.rows.append([line.name, Money.dollars(line.ownMicrodollars), Money.dollars(line.sharedMicrodollars), Money.dollars(line.totalMicrodollars)])
        }
        var idleTable = TextTable(headers: ["POOL", "NODE COST", "IDLE", "IDLE %"])
        idleTable.rightAligned = [1, 2, 3]
        for pool in idle {
            idleTable.rows.append([pool.pool, Money.dollars(pool.nodeMicrodollars), Money.dollars(pool.idleMicrodollars),
                                   pool.nodeMicrodollars > 0 ? String(format: "%.0f%%", Double(pool.idleMicrodollars) / Double(pool.nodeMicrodollars) * 100) : "-"])
        }
        let allocated = workloadsMicrodollars, idleTotal = idleMicrodollars, unattached = unattachedMicrodollars
        return "Costs \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(from)))) to \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(to - 1)))) "
            + "(shared \(sharedNamespaces.joined(separator: ",")): \(distribution)):\n" + table.render()
            + "\nIdle (node capacity not allocated) per pool:\n" + idleTable.render()
            + (unattachedVolumes.isEmpty ? "" : "\nUnattached volumes: " + unattachedVolumes.map { "\($0.volume) \(Money.dollars($0.microdollars))" }.joined(separator: ", ") + "\n")
            + "\nWorkloads \(Money.dollars(allocated)) (nodes and their volumes) + idle \(Money.dollars(idleTotal)) + unattached volumes \(Money.dollars(unattached)) = \(Money.dollars(totalMicrodollars)).\n"
    }
}
