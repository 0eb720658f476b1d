import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory

/// `headroom cost`: allocation of node costs to containers, stored per day, and reports on it.
struct CostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Allocate node costs to workloads (stored per day) and report them.",
        subcommands: [Allocate.self, Report.self]
    )

    struct Allocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allocate each hour's node cost to containers and idle, and store the days.",
            discussion: """
                Each node is priced from the catalog (models/pricing: on-demand list prices, your terms from --prices: reserved capacity, negotiated prices, a flat discount; unknown types at OpenCost's unit prices) and its price split into a CPU and a RAM part in the ratio of the unit prices. Each hour, a pool's CPU and RAM cost is shared among its containers in proportion to max(request, usage) × replicas; shares are rounded down to the micro-dollar and the remainder is the pool's idle cost, so containers + idle = node cost exactly, every hour. Containers in pools without nodes pay the unit prices. Days in the window are replaced in one transaction: re-running stores nothing twice.

                Nodes: the latest snapshot in the store (collect or import of kube-state-metrics) is taken to have run the whole window.

                Examples:
                  headroom cost allocate
                  headroom cost allocate --since 30d --prices my-terms.yaml -o json
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var cluster: ClusterOptions
        @OptionGroup var priceOptions: PriceOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Window to allocate, back from the latest usage.") var since: String = "30d"

        func run() async throws {
            let catalog = try priceOptions.catalog()
            let engine = try await cluster.engine(store)
            let summary = try await EngineCall.run { try await engine.allocate(sinceSeconds: try DurationParser.seconds(since), catalog: catalog) }
            ClusterOptions.reportWarnings(engine)
            print(try Render.output(summary, format: output.format) { summary.table }, terminator: "")
        }
    }
}

extension AllocationSummary {
    var table: String {
        var table = TextTable(headers: ["POOL", "NODES", "NODE COST", "ALLOCATED", "IDLE", "IDLE %"])
        table.rightAligned = [1, 2, 3, 4, 5]
        for pool in poolTotals {
            table.rows.append([pool.pool, String(pool.nodes), Money.dollars(pool.nodeMicrodollars), Money.dollars(pool.allocatedMicrodollars),
                               Money.dollars(pool.idleMicrodollars),
                               pool.nodeMicrodollars > 0 ? String(format: "%.0f%%", Double(pool.idleMicrodollars) / Double(pool.nodeMicrodollars) * 100) : "-"])
        }
        let unpriced = unpricedMicrodollars, volumes = mountedVolumeMicrodollars
        var text = "Allocated \(hours) hours (\(days) days from \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(start))))) and stored them.\n"
        text += table.render()
        if unpriced > 0 { text += "Containers in pools without nodes, at unit prices: \(Money.dollars(unpriced))\n" }
        text += "Persistent volumes: \(Money.dollars(volumes)) on the workloads that mount them, \(Money.dollars(unattachedVolumeMicrodollars)) unattached.\n"
        text += "Per pool and hour, allocated + idle = node cost to the micro-dollar. 'headroom cost report' breaks it down.\n"
        return text
    }
}
