import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomForecast
import HeadroomHistory
import HeadroomRecommend

/// `headroom advise`: recommended requests and limits per container, with replayed risk and cost.
struct AdviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advise",
        abstract: "Recommend requests and limits per container, with the risk replayed over history and the monthly cost.",
        discussion: """
            Requests cover the peak of the p90 forecast of the coming week plus 15 %; memory never goes below the
            highest working set seen (+15 %) nor an OOM kill plus the VPA's bump; memory limit = request, no CPU
            limit. A CPU
            request under an HPA that scales on CPU is left alone. Each recommendation is replayed over the
            last --replay window next to the current configuration: CPU pressure minutes (usage above the
            limit, or above the request without one), buckets where memory reached the limit (OOM kills),
            and the monthly cost at default prices (models/pricing/defaults.yaml).

            Node pools: the pods of each pool (at HPA maximum replicas) are binpacked onto each node type of
            the catalog (models/pricing/nodes-aws-us-east-1.yaml) after kube/system reservations; the cheapest
            plan wins, never below ceil(total/allocatable), a multiple of the zone count for multi-zone pools.

            --strategy vpa gives the upstream VPA recommender's target instead (decaying CPU histogram, daily
            memory peaks with the OOM bump, p90 + 15 %), with its lower and upper bounds in the notes.

            Not built yet: HPA target replay and manifests.

            Examples:
              headroom advise
              headroom advise --namespace production -o json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "History to forecast from.") var since: String = "14d"
    @Option(help: "Window the risk is replayed over.") var replay: String = "7d"
    @Option(help: "Only these namespaces (repeatable).") var namespace: [String] = []
    @Option(help: "forecast (default: forecast quantiles of the coming week) or vpa (the upstream recommender's target from the same history).")
    var strategy: Strategy = .forecast

    enum Strategy: String, ExpressibleByArgument { case forecast, vpa }

    func validate() throws {
        for text in [since, replay] {
            do { _ = try DurationParser.seconds(text) } catch { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        let history = try store.openExisting()
        guard let range = try history.usageTimeRange() else { throw ValidationError("the history store holds no usage: run 'headroom import' first") }
        let end = range.upperBound + 300
        let start = end - (try DurationParser.seconds(since))
        let replayStart = end - (try DurationParser.seconds(replay))
        let inventory = Dictionary(try history.latestInventory(asOf: end).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let ooms = try history.events(kind: .oomKilled)
        var rows: [AdviceRow] = []
        let containers = try history.containers().filter { namespace.isEmpty || namespace.contains($0.workload.namespace) }
        for (index, container) in containers.enumerated() {
            printError("advise: \(index + 1)/\(containers.count) \(container)")
            func series(_ resource: ResourceKind, _ statistic: BucketStatistic) throws -> RegularSeries {
                try history.series(container, resource: resource, statistic: statistic, from: start, to: end)
            }
            let cpuMean = try series(.cpu, .mean), cpuMax = try series(.cpu, .max)
            let memoryMean = try series(.memory, .mean), memoryMax = try series(.memory, .max)
            guard let cpu = GapFilling.linear(cpuMean), let memory = GapFilling.linear(memoryMax) else { continue }
            let current = inventory[container]
            let limitBytes = current?.limits.memory.map { Double($0.bytes) }
            let oomBytes = ooms.filter { $0.container == container && $0.time >= start }.compactMap { event in event.memoryBytes.map(Double.init) ?? limitBytes }
            var recommendation = RightSizer.recommend(SizingInput(container: container, cpu: cpu, memoryPeaks: memory, current: current, oomKillBytes: oomBytes))
            if strategy == .vpa {
                let bounds = VPARecommender.recommend(
                    times: cpuMean.values.indices.map { cpuMean.time(at: $0) }, cpuMillicores: cpuMean.values, memoryPeaks: memoryMax.values,
                    oomTimes: ooms.filter { $0.container == container && $0.time >= start }.map(\.time), memoryRequest: current?.requests.memory?.bytes)
                var requests = bounds.target
                if let hpa = current?.hpa, hpa.targetCPUUtilizationPercent != nil, let cpuRequest = current?.requests.cpu { requests.cpu = cpuRequest }
                recommendation.requests = requests
                recommendation.limits = ResourceAmounts(cpu: nil, memory: requests.memory)
                recommendation.cpuModel = "vpa-histogram"
                recommendation.memoryModel = "vpa-peaks"
                recommendation.notes.append("VPA bounds: CPU \(bounds.lowerBound.cpu!)–\(bounds.upperBound.cpu!), memory \(bounds.lowerBound.memory!.roundedUp(toMultipleOf: .mebibyte))–\(bounds.upperBound.memory!.roundedUp(toMultipleOf: .mebibyte))")
            }
            let replayFrom = Int((replayStart - cpuMean.start) / 300)
            func tail(_ s: RegularSeries) -> [Double?] { Array(s.values.dropFirst(max(0, replayFrom))) }
            func risk(_ requests: ResourceAmounts, _ limits: ResourceAmounts) -> ReplayedRisk {
                RiskReplay.replay(cpuMean: tail(cpuMean), cpuMax: tail(cpuMax), memoryMean: tail(memoryMean), memoryMax: tail(memoryMax),
                                  requests: requests, limits: limits)
            }
            let replicas = current?.replicas ?? 1
            let currentRequests = current?.requests ?? .none
            rows.append(AdviceRow(
                container: container, replicas: replicas,
                current: .init(requests: currentRequests, limits: current?.limits ?? .none, risk: risk(currentRequests, current?.limits ?? .none),
                               monthlyMicrodollars: ResourcePrices.fallback.monthlyMicrodollars(currentRequests, replicas: replicas)),
                recommended: .init(requests: recommendation.requests, limits: recommendation.limits,
                                   risk: risk(recommendation.requests, recommendation.limits),
                                   monthlyMicrodollars: ResourcePrices.fallback.monthlyMicrodollars(recommendation.requests, replicas: replicas)),
                models: [recommendation.cpuModel, recommendation.memoryModel], notes: recommendation.notes))
        }
        let report = AdviceReport(windowEnd: end, containers: rows, pools: try poolPlans(rows, inventory: inventory))
        print(try Render.output(report, format: output.format) { report.table }, terminator: "")
    }
}

extension AdviseCommand {
    /// Node counts per pool for the current and the recommended requests.
    func poolPlans(_ rows: [AdviceRow], inventory: [ContainerID: InventoryRecord]) throws -> [PoolAdvice] {
        let byPool = Dictionary(grouping: rows) { inventory[$0.container]?.nodePool ?? "default" }
        return try byPool.sorted { $0.key < $1.key }.map { pool, members in
            let zones = members.map { inventory[$0.container]?.zone?.split(separator: ",").count ?? 1 }.max() ?? 1
            func pods(_ pick: (AdviceRow) -> ResourceAmounts) -> [PoolPlanner.PodSpec] {
                members.map { row in
                    let record = inventory[row.container]
                    return .init(name: row.container.description, requests: pick(row), count: record?.hpa?.maxReplicas ?? row.replicas)
                }
            }
            do {
                return PoolAdvice(pool: pool, zones: zones, pods: pods { $0.recommended.requests }.reduce(0) { $0 + $1.count },
                                  current: try PoolPlanner.plan(pods { $0.current.requests }, zones: zones),
                                  recommended: try PoolPlanner.plan(pods { $0.recommended.requests }, zones: zones))
            } catch {
                throw ValidationError("node pool \(pool): \(error)")
            }
        }
    }
}

/// What `headroom advise` prints; JSON/YAML carry quantities as strings and money in micro-dollars.
struct AdviceReport: Encodable {
    var windowEnd: Int64
    var containers: [AdviceRow]
    var pools: [PoolAdvice]

    var table: String {
        var table = TextTable(headers: ["NAMESPACE", "WORKLOAD", "CONTAINER", "CPU REQ", "→", "MEM REQ", "→", "MEM LIM →",
                                        "OOM", "→", "CPU PRESS min", "→", "$/MONTH", "→", "NOTE"])
        table.rightAligned = Set([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        func dollars(_ micro: Int64) -> String { String(format: "%.2f", Double(micro) / 1e6) }
        for row in containers {
            table.rows.append([
                row.container.workload.namespace, row.container.workload.name, row.container.container,
                row.current.requests.cpu?.canonical ?? "-", row.recommended.requests.cpu?.canonical ?? "-",
                row.current.requests.memory?.canonical ?? "-", row.recommended.requests.memory?.canonical ?? "-",
                row.recommended.limits.memory?.canonical ?? "-",
                String(row.current.risk.oomBuckets), String(row.recommended.risk.oomBuckets),
                String(row.current.risk.cpuPressureMinutes), String(row.recommended.risk.cpuPressureMinutes),
                dollars(row.current.monthlyMicrodollars), dollars(row.recommended.monthlyMicrodollars),
                row.notes.map { $0.split(separator: ":").first.map(String.init) ?? $0 }.joined(separator: "; "),
            ])
        }
        let before = containers.reduce(Int64(0)) { $0 + $1.current.monthlyMicrodollars }
        let after = containers.reduce(Int64(0)) { $0 + $1.recommended.monthlyMicrodollars }
        var poolTable = TextTable(headers: ["POOL", "ZONES", "PODS", "NODES NOW", "→ RECOMMENDED", "LOWER BOUND", "CPU/MEM PACKED", "$/MONTH", "→"])
        poolTable.rightAligned = [1, 2, 5, 7, 8]
        for pool in pools {
            poolTable.rows.append([
                pool.pool, String(pool.zones), String(pool.pods), "\(pool.current.nodes) × \(pool.current.nodeType)",
                "\(pool.recommended.nodes) × \(pool.recommended.nodeType)", String(pool.recommended.lowerBound),
                "\(Int((pool.recommended.cpuEfficiency * 100).rounded()))% / \(Int((pool.recommended.memoryEfficiency * 100).rounded()))%",
                dollars(pool.current.monthlyMicrodollars), dollars(pool.recommended.monthlyMicrodollars),
            ])
        }
        return table.render() + "\nRequests at default prices: $\(dollars(before))/month now, $\(dollars(after))/month recommended.\n"
            + "Risk replayed over the last week: OOM = buckets where memory reached the limit; CPU PRESS = minutes above the CPU limit (or request without one).\n\n"
            + "Node pools (pods at HPA maximum; on-demand list prices):\n" + poolTable.render()
    }
}

struct PoolAdvice: Encodable {
    var pool: String
    var zones: Int
    var pods: Int
    var current: PoolPlanner.Plan
    var recommended: PoolPlanner.Plan
}

struct AdviceRow: Encodable {
    struct Configuration: Encodable {
        var requests: ResourceAmounts
        var limits: ResourceAmounts
        var risk: ReplayedRisk
        var monthlyMicrodollars: Int64
    }
    var container: ContainerID
    var replicas: Int
    var current: Configuration
    var recommended: Configuration
    var models: [String]
    var notes: [String]
}
