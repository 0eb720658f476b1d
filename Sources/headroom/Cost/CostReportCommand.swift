import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomHistory

extension CostCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report stored daily costs by namespace, workload, container or pool, with idle cost per pool.",
            discussion: """
                Reads what 'headroom cost allocate' stored; nothing is recomputed. Shared namespaces
                (--shared, default kube-system,monitoring) are spread over the others uniformly or in
                proportion to their cost, or left as their own lines (--share none); idle cost stays per pool.

                Examples:
                  headroom cost report
                  headroom cost report --by workload --since 7d -o json
                  headroom cost report --shared kube-system --share proportional
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Window back from the latest stored day.") var since: String = "30d"
        @Option(help: "namespace, workload, container, pool, or label:KEY (such as label:team).") var by: Grouping = .namespace
        @Option(help: "Shared namespaces, comma-separated.") var shared: String = "kube-system,monitoring"
        @Option(help: "uniform, proportional or none.") var share: SharedCostDistribution = .proportional

        enum Grouping: ExpressibleByArgument, Equatable {
            case namespace, workload, container, pool
            case label(String)
            init?(argument: String) {
                switch argument {
                case "namespace": self = .namespace
                case "workload": self = .workload
                case "container": self = .container
                case "pool": self = .pool
                default:
                    guard argument.hasPrefix("label:"), argument.count > 6 else { return nil }
                    self = .label(String(argument.dropFirst(6)))
                }
            }
            var name: String {
                switch self {
                case .namespace: "namespace"
                case .workload: "workload"
                case .container: "container"
                case .pool: "pool"
                case .label(let key): "label:\(key)"
                }
            }
        }

        func run() async throws {
            let history = try store.openExisting()
            guard let range = try history.costDayRange() else { throw ValidationError("no stored costs: run 'headroom cost allocate' first") }
            let to = range.upperBound + 86_400
            let from = max(range.lowerBound, to - (try DurationParser.seconds(since)) / 86_400 * 86_400)
            let costs = try history.containerCosts(from: from, to: to)
            let pools = try history.poolCosts(from: from, to: to)
            let sharedNamespaces = Set(shared.split(separator: ",").map(String.init))
            let labels = Dictionary(try history.latestInventory().map { ($0.container, $0.labels) }, uniquingKeysWith: { $1 })
            func key(_ row: StoredContainerCost) -> String {
                switch by {
                case .namespace: row.container.workload.namespace
                case .workload: "\(row.container.workload.namespace)/\(row.container.workload.name)"
                case .container: row.container.description
                case .pool: row.pool ?? "(unpriced)"
                case .label(let key): labels[row.container]?[key] ?? "(no \(key))"
                }
            }
            var own: [String: Int64] = [:]
            var sharedTotal: Int64 = 0
            for row in costs {
                if by != .pool && share != .none && sharedNamespaces.contains(row.container.workload.namespace) {
                    sharedTotal += row.total
                } else {
                    own[key(row), default: 0] += row.total
                }
            }
            let names = own.keys.sorted()
            let parts = share.split(sharedTotal, over: names.map { own[$0]! })
            let lines = zip(names, parts).map { name, part in CostReport.Line(name: name, ownMicrodollars: own[name]!, sharedMicrodollars: part) }
            var idle: [String: CostReport.Idle] = [:]
            for row in pools {
                idle[row.pool, default: .init(pool: row.pool, nodeMicrodollars: 0, idleMicrodollars: 0)].nodeMicrodollars += row.nodeMicrodollars
                idle[row.pool]!.idleMicrodollars += row.idleCPUMicrodollars + row.idleRAMMicrodollars
            }
            var unattached: [String: Int64] = [:]
            for row in try history.unattachedVolumeCosts(from: from, to: to) { unattached[row.volume, default: 0] += row.microdollars }
            let report = CostReport(from: from, to: to, by: by.name, distribution: share.rawValue, sharedNamespaces: sharedNamespaces.sorted(),
                                    lines: lines.sorted { $0.totalMicrodollars > $1.totalMicrodollars },
                                    idle: idle.values.sorted { $0.pool < $1.pool },
                                    unattachedVolumes: unattached.sorted { $0.key < $1.key }.map { .init(volume: $0.key, microdollars: $0.value) })
            print(try Render.output(report, format: output.format) { report.table }, terminator: "")
        }
    }
}

extension SharedCostDistribution: ExpressibleByArgument {}

struct CostReport: Encodable {
    struct Line: Encodable {
        var name: String
        var ownMicrodollars: Int64
        var sharedMicrodollars: Int64
        var totalMicrodollars: Int64 { ownMicrodollars + sharedMicrodollars }
        enum CodingKeys: String, CodingKey { case name, ownMicrodollars, sharedMicrodollars, totalMicrodollars }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(ownMicrodollars, forKey: .ownMicrodollars)
            try container.encode(sharedMicrodollars, forKey: .sharedMicrodollars)
            try container.encode(totalMicrodollars, forKey: .totalMicrodollars)
        }
    }
    struct Idle: Encodable {
        var pool: String
        var nodeMicrodollars: Int64
        var idleMicrodollars: Int64
    }
    var from: Int64
    var to: Int64
    var by: String
    var distribution: String
    var sharedNamespaces: [String]
    struct Volume: Encodable {
        var volume: String
        var microdollars: Int64
    }
    var lines: [Line]
    var idle: [Idle]
    var unattachedVolumes: [Volume]

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
        let allocated = lines.reduce(Int64(0)) { $0 + $1.totalMicrodollars }, idleTotal = idle.reduce(Int64(0)) { $0 + $1.idleMicrodollars }
        let unattached = unattachedVolumes.reduce(Int64(0)) { $0 + $1.microdollars }
        return "Costs \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(from)))) to \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(to - 1)))) "
            + "(shared \(sharedNamespaces.joined(separator: ",")): \(distribution)):\n" + table.render()
            + "\nIdle (node capacity not allocated) per pool:\n" + idleTable.render()
            + (unattachedVolumes.isEmpty ? "" : "\nUnattached volumes: " + unattachedVolumes.map { "\($0.volume) \(Money.dollars($0.microdollars))" }.joined(separator: ", ") + "\n")
            + "\nWorkloads \(Money.dollars(allocated)) (nodes and their volumes) + idle \(Money.dollars(idleTotal)) + unattached volumes \(Money.dollars(unattached)) = \(Money.dollars(allocated + idleTotal + unattached)).\n"
    }
}
