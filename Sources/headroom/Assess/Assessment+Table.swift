import Foundation
import HeadroomCost
import HeadroomEngine

extension Assessment {
    /// The summary a terminal shows; `-o json|yaml` carries the whole document.
    var table: String {
        var summary = TextTable(headers: ["", "NOW", "RECOMMENDED"])
        summary.rightAligned = [1, 2]
        summary.rows = [
            ["containers", String(totals.containers), ""],
            ["requests $/month", Money.dollars(totals.currentMonthlyMicrodollars), Money.dollars(totals.recommendedMonthlyMicrodollars)],
            ["node pools", pools.map { $0.current.map { "\($0.nodes)" } ?? "?" }.joined(separator: "+"),
             pools.map { $0.recommended.map { "\($0.nodes)" } ?? "?" }.joined(separator: "+")],
            ["allocated \(allocation.hours) h", Money.dollars(totals.allocatedMicrodollars), ""],
            ["reclaimable $/month", "", Money.dollars(totals.reclaimableMonthlyMicrodollars)],
        ]
        if let budgets {
            summary.rows.append(["budgets breached or projected", "\(totals.budgetsViolated) of \(budgets.budgets.count)", ""])
        }
        var clusters = TextTable(headers: ["CLUSTER", "CONTAINERS", "LAST USAGE (UTC)", "AGE", "LAST INVENTORY (UTC)"])
        clusters.rightAligned = [1, 3]
        for cluster in freshness.clusters {
            clusters.rows.append([cluster.cluster, String(cluster.containers), cluster.lastUsageBucket.map { isoTime($0 + 300) } ?? "-",
                                  cluster.usageAgeSeconds.map(Self.age) ?? "-", cluster.lastInventory.map(isoTime) ?? "-"])
        }
        let lowConfidence = containers.filter { $0.confidence?.level == .low }.count
        return "Assessment (\(Self.apiVersion)) at \(isoTime(metadata.generatedAt)), \(metadata.strategy) strategy, \(metadata.prices):\n"
            + summary.render() + "\n" + clusters.render()
            + "\(lowConfidence) container(s) with low-confidence advice; \(freshness.skipped.count) item(s) skipped. -o json or -o yaml prints the whole assessment.\n"
    }

    static func age(_ seconds: Int64) -> String {
        seconds < 0 ? "in the future" : seconds < 7_200 ? "\(seconds / 60)m" : seconds < 172_800 ? "\(seconds / 3_600)h" : "\(seconds / 86_400)d"
    }
}
