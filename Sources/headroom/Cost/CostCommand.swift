import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomCost
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
                Each node is priced from the catalog (models/pricing: on-demand list prices, your terms from
                --prices: reserved capacity, negotiated prices, a flat discount; unknown types at OpenCost's
                unit prices) and its price split into a CPU and a RAM part in the ratio of the unit prices.
                Each hour, a pool's CPU and RAM cost is shared among its containers in proportion to
                max(request, usage) × replicas; shares are rounded down to the micro-dollar and the remainder
                is the pool's idle cost, so containers + idle = node cost exactly, every hour. Containers in
                pools without nodes pay the unit prices. Days in the window are replaced in one transaction:
                re-running stores nothing twice.

                Nodes: the latest snapshot in the store (collect or import of kube-state-metrics) is taken to
                have run the whole window.

                Examples:
                  headroom cost allocate
                  headroom cost allocate --since 30d --prices my-terms.yaml -o json
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var priceOptions: PriceOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Window to allocate, back from the latest usage.") var since: String = "30d"

        func run() async throws {
            let catalog = try priceOptions.catalog()
            let history = try store.openExisting()
            let nodes = try history.latestNodes()
            guard !nodes.isEmpty else {
                throw ValidationError("the store has no nodes: collect from the Kubernetes API or import kube-state-metrics (kube_node_*) first")
            }
            let (start, hours) = try CostLoader.window(history, since: try DurationParser.seconds(since))
            let usage = try CostLoader.usageHours(history, start: start, hours: hours)
            let result = CostAllocator.allocate(start: start, hours: hours, nodes: nodes, containers: usage, volumes: try history.latestVolumes(),
                                                catalog: catalog)
            let allocation = result.allocation
            var containerRows: [StoredContainerCost] = []
            for (index, container) in result.containers.enumerated() {
                for (day, cost) in zip(allocation.days, allocation.containers[index]) where cost.total > 0 {
                    containerRows.append(StoredContainerCost(day: day, container: container, pool: result.containerPools[index],
                                                             cpuMicrodollars: cost.cpu, ramMicrodollars: cost.ram, pvMicrodollars: cost.pv))
                }
            }
            var poolRows: [StoredPoolCost] = []
            for (index, pool) in result.pools.enumerated() {
                for (day, cost) in zip(allocation.days, allocation.pools[index]) where cost.hours > 0 {
                    poolRows.append(StoredPoolCost(day: day, pool: pool, nodeMicrodollars: cost.nodeCost, idleCPUMicrodollars: cost.idleCPU,
                                                   idleRAMMicrodollars: cost.idleRAM, hours: cost.hours, nodeHours: cost.nodeHours))
                }
            }
            let firstDay = allocation.days.first ?? start, lastDay = (allocation.days.last ?? start) + 86_400
            let unattached = result.unattachedVolumes.flatMap { volume, days in
                zip(allocation.days, days).filter { $0.1 > 0 }.map { (day: $0.0, volume: volume.name, microdollars: $0.1) }
            }
            try history.replaceDailyCosts(from: firstDay, to: lastDay, containers: containerRows, pools: poolRows, unattachedVolumes: unattached)
            let summary = AllocationSummary(start: start, hours: hours, days: allocation.days.count,
                                            nodes: result.pricedNodes.map { .init(name: $0.node.name, pool: $0.node.nodePool ?? "default", instanceType: $0.node.instanceType,
                                                                                  hourlyMicrodollars: $0.hourly, basis: $0.basis) },
                                            pools: poolRows, containers: containerRows,
                                            unattachedVolumeMicrodollars: unattached.reduce(0) { $0 + $1.microdollars })
            print(try Render.output(summary, format: output.format) { summary.table }, terminator: "")
        }
    }
}

/// What `cost allocate` prints.
struct AllocationSummary: Encodable {
    struct Node: Encodable { var name: String; var pool: String; var instanceType: String?; var hourlyMicrodollars: Int64; var basis: String }
    var start: Int64
    var hours: Int
    var days: Int
    var nodes: [Node]
    var pools: [StoredPoolCost]
    var containers: [StoredContainerCost]
    var unattachedVolumeMicrodollars: Int64

    var table: String {
        var byPool: [String: (node: Int64, idle: Int64, allocated: Int64)] = [:]
        for row in pools { byPool[row.pool, default: (0, 0, 0)].node += row.nodeMicrodollars; byPool[row.pool, default: (0, 0, 0)].idle += row.idleCPUMicrodollars + row.idleRAMMicrodollars }
        for row in containers { if let pool = row.pool, byPool[pool] != nil { byPool[pool]!.allocated += row.cpuMicrodollars + row.ramMicrodollars } }
        var table = TextTable(headers: ["POOL", "NODES", "NODE COST", "ALLOCATED", "IDLE", "IDLE %"])
        table.rightAligned = [1, 2, 3, 4, 5]
        for (pool, cost) in byPool.sorted(by: { $0.key < $1.key }) {
            table.rows.append([pool, String(nodes.filter { $0.pool == pool }.count), Money.dollars(cost.node), Money.dollars(cost.allocated),
                               Money.dollars(cost.idle), cost.node > 0 ? String(format: "%.0f%%", Double(cost.idle) / Double(cost.node) * 100) : "-"])
        }
        let unpriced = containers.filter { $0.pool == nil || byPool[$0.pool!] == nil }.reduce(Int64(0)) { $0 + $1.cpuMicrodollars + $1.ramMicrodollars }
        let volumes = containers.reduce(Int64(0)) { $0 + $1.pvMicrodollars }
        var text = "Allocated \(hours) hours (\(days) days from \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(start))))) and stored them.\n"
        text += table.render()
        if unpriced > 0 { text += "Containers in pools without nodes, at unit prices: \(Money.dollars(unpriced))\n" }
        text += "Persistent volumes: \(Money.dollars(volumes)) on the workloads that mount them, \(Money.dollars(unattachedVolumeMicrodollars)) unattached.\n"
        text += "Per pool and hour, allocated + idle = node cost to the micro-dollar. 'headroom cost report' breaks it down.\n"
        return text
    }
}
