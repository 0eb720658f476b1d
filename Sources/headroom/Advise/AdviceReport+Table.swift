import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomRecommend

extension AdviceReport {
    /// Money.dollars without the sign, for table columns headed $/MONTH.
    static func dollars(_ micro: Int64) -> String { String(Money.dollars(micro).drop { $0 == "$" }) }

    var table: String {
        var table = TextTable(headers: ["NAMESPACE", "WORKLOAD", "CONTAINER", "CPU REQ", "→", "MEM REQ", "→", "MEM LIM →",
                                        "OOM", "→", "CPU PRESS min", "→", "$/MONTH", "→", "NOTE"])
        table.rightAligned = Set([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        for row in containers {
            table.rows.append([
                row.container.workload.namespace, row.container.workload.name, row.container.container,
                row.advice.current.requests.cpu?.canonical ?? "-", row.advice.recommended.requests.cpu?.canonical ?? "-",
                row.advice.current.requests.memory?.canonical ?? "-", row.advice.recommended.requests.memory?.canonical ?? "-",
                row.advice.recommended.limits.memory?.canonical ?? "-",
                String(row.advice.current.risk.oomBuckets), String(row.advice.recommended.risk.oomBuckets),
                String(row.advice.current.risk.cpuPressureMinutes), String(row.advice.recommended.risk.cpuPressureMinutes),
                Self.dollars(row.currentMonthly), Self.dollars(row.recommendedMonthly),
                row.advice.notes.map { $0.split(separator: ":").first.map(String.init) ?? $0 }.joined(separator: "; "),
            ])
        }
        let (before, after) = containers.monthlyTotals
        var text = table.render() + "\nRequests priced at each pool's node rates (unit prices where no priced pool takes a container): $\(Self.dollars(before))/month now, $\(Self.dollars(after))/month recommended"
            + " (HPA workloads at their replayed mean replicas).\n"
            + "Risk replayed over the last window: OOM = buckets where memory reached the limit; CPU PRESS = minutes above the CPU limit (or request without one).\n"
        if !skipped.isEmpty { text += "Skipped (no usage in the window): \(skipped.joined(separator: ", "))\n" }
        text += hpaTable
        return text + "\n" + poolTable
    }

    private var hpaTable: String {
        let rows = containers.filter { $0.advice.hpa != nil }
        guard !rows.isEmpty else { return "" }
        var table = TextTable(headers: ["NAMESPACE", "WORKLOAD", "MIN–MAX @TARGET", "→", "SATURATED", "→", "REPLICA-H", "→",
                                        "SHORTFALL min", "→", "PREDICTIVE MIN (UTC)"])
        table.rightAligned = [2, 3, 4, 5, 6, 7, 8, 9]
        func configuration(_ value: HPASimulator.Configuration?) -> String {
            value.map { "\($0.minReplicas)–\($0.maxReplicas) @\(Int(($0.targetUtilization * 100).rounded()))%" } ?? "none"
        }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f%%", $0 * 100) } ?? "-" }
        func number(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "-" }
        for row in rows {
            let hpa = row.advice.hpa!
            table.rows.append([
                row.container.workload.namespace, row.container.workload.name, configuration(hpa.current), configuration(hpa.recommended),
                percent(hpa.currentOutcome?.saturatedFraction), percent(hpa.recommendedOutcome.saturatedFraction),
                number(hpa.currentOutcome?.replicaHours), number(hpa.recommendedOutcome.replicaHours),
                number(hpa.currentOutcome?.shortfallMinutes), number(hpa.recommendedOutcome.shortfallMinutes),
                hpa.predictiveSummary.isEmpty ? "flat" : hpa.predictiveSummary.prefix(3).joined(separator: ", ") + (hpa.predictiveSummary.count > 3 ? " …" : ""),
            ])
        }
        return "\nAutoscaling (the recorded demand replayed through the HPA controller every 15 s; saturated = ready pods above 90 % of request;"
            + " shortfall = fewer ready pods than the load needed at 90 %; the full hour-of-week schedule is in -o json):\n" + table.render()
    }

    private var poolTable: String {
        var table = TextTable(headers: ["POOL", "ZONES", "PODS", "DAEMONSETS/NODE", "NODES NOW", "→ RECOMMENDED", "LOWER BOUND", "CPU/MEM PACKED", "$/MONTH", "→"])
        table.rightAligned = [1, 2, 6, 8, 9]
        func nodes(_ plan: PoolPlanner.Plan?) -> String { plan.map { "\($0.nodes) × \($0.nodeType)" } ?? "-" }
        func packed(_ plan: PoolPlanner.Plan) -> String {
            "\(Int((plan.cpuEfficiency * 100).rounded()))% / \(Int((plan.memoryEfficiency * 100).rounded()))%"
        }
        for pool in pools {
            let daemonSets = pool.daemonSetPods == 0 ? "-"
                : "\(pool.daemonSetPods) (\(pool.daemonSetOverhead.cpu?.canonical ?? "0"), \(pool.daemonSetOverhead.memory?.canonical ?? "0"))"
            table.rows.append([
                pool.pool, String(pool.zones), String(pool.pods), daemonSets, nodes(pool.current), nodes(pool.recommended),
                pool.recommended.map { String($0.lowerBound) } ?? "-", pool.recommended.map(packed) ?? "-",
                pool.current.map { Self.dollars($0.monthlyMicrodollars) } ?? "-", pool.recommended.map { Self.dollars($0.monthlyMicrodollars) } ?? "-",
            ])
        }
        let reserve = pools.first.map { $0.reserve } ?? 0
        let problems = pools.flatMap { pool in
            (pool.problem.map { ["  \(pool.pool): no plan: \($0)"] } ?? []) + (pool.unplacedPods ?? []).map { "  \(pool.pool): not placed: \($0)" }
        }
        return "Node pools (HPA workloads at their replayed peak replicas; DaemonSet pods and a \(Int((reserve * 100).rounded())) % reserve taken off every node; \(prices)):\n"
            + table.render() + problems.map { $0 + "\n" }.joined()
    }
}
