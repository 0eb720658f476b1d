import Foundation

/// The report as tidy CSV, one file per table, each with the columns
/// `date,scope,metric,value,unit`. `date` is the day for daily figures and the week's first day
/// for weekly ones; money is in dollars with cents, rounded as the other formats round it.
public enum ReportCSV {
    public static let header = "date,scope,metric,value,unit"

    /// File name → contents (with a trailing newline).
    public static func files(_ report: WeeklyReport) -> [(name: String, contents: String)] {
        let week = report.metadata.firstDate
        var files: [(String, [[String]])] = []
        let spend = report.spend
        files.append(("spend.csv", [
            [week, "cluster", "cost", usd(spend.totalMicrodollars), "USD"],
            [week, "cluster", "previous_week_cost", usd(spend.previousMicrodollars), "USD"],
            [week, "cluster", "change", usd(spend.changeMicrodollars), "USD"],
            [week, "cluster", "change_percent", spend.changePercent.map { ReportFormat.fixed($0, digits: 1) } ?? "", "%"],
            [week, "workloads", "cost", usd(spend.workloadsMicrodollars), "USD"],
            [week, "idle", "cost", usd(spend.idleMicrodollars), "USD"],
            [week, "unattached volumes", "cost", usd(spend.unattachedMicrodollars), "USD"],
        ]))
        files.append(("daily.csv", report.daily.flatMap { day in
            day.namespaces.map { [day.date, "namespace:\($0.name)", "cost", usd($0.microdollars), "USD"] }
                + [[day.date, "idle", "cost", usd(day.idleMicrodollars), "USD"],
                   [day.date, "unattached volumes", "cost", usd(day.unattachedMicrodollars), "USD"],
                   [day.date, "total", "cost", usd(day.totalMicrodollars), "USD"]]
        }))
        func breakdown(_ breakdown: WeeklyReport.Breakdown) -> [[String]] {
            breakdown.lines.flatMap { line in
                [[week, "\(breakdown.by):\(line.name)", "cost", usd(line.microdollars), "USD"],
                 [week, "\(breakdown.by):\(line.name)", "previous_week_cost", usd(line.previousMicrodollars), "USD"],
                 [week, "\(breakdown.by):\(line.name)", "change", usd(line.changeMicrodollars), "USD"]]
            } + [[week, "\(breakdown.by):total", "cost", usd(breakdown.totalMicrodollars), "USD"]]
        }
        files.append(("namespaces.csv", breakdown(report.namespaces)))
        files.append(("workloads.csv", breakdown(report.workloads)))
        files.append(("labels.csv", report.labels.flatMap(breakdown)))
        let movers = report.causes.map { ("namespace:\($0.name)", $0) } + report.workloadCauses.map { ("workload:\($0.name)", $0) }
        files.append(("causes.csv", movers.flatMap { scope, causes in
            [("change", causes.changeMicrodollars), ("requests", causes.requestsMicrodollars), ("replicas", causes.replicasMicrodollars),
             ("usage_above_requests", causes.usageAboveRequestsMicrodollars), ("added_removed", causes.addedRemovedMicrodollars),
             ("prices", causes.pricesMicrodollars)].map { [week, scope, $0.0, usd($0.1), "USD"] }
        }))
        files.append(("efficiency.csv", report.efficiency.flatMap { row in
            [[week, "namespace:\(row.namespace)", "efficiency", row.efficiency.map { ReportFormat.fixed($0 * 100, digits: 1) } ?? "", "%"],
             [week, "namespace:\(row.namespace)", "cpu_cost", usd(row.cpuMicrodollars), "USD"],
             [week, "namespace:\(row.namespace)", "ram_cost", usd(row.ramMicrodollars), "USD"]]
        }))
        files.append(("waste.csv", report.waste.flatMap { pool in
            [[week, "pool:\(pool.pool)", "node_cost", usd(pool.nodeMicrodollars), "USD"],
             [week, "pool:\(pool.pool)", "idle_cost", usd(pool.idleMicrodollars), "USD"],
             [week, "pool:\(pool.pool)", "idle_share", ReportFormat.fixed(pool.idleShare * 100, digits: 1), "%"]]
        } + report.unattachedVolumes.map { [week, "volume:\($0.volume)", "unattached_cost", usd($0.microdollars), "USD"] }))
        files.append(("savings.csv", report.savings.flatMap { item in
            [[week, "\(item.kind):\(item.target)", "monthly_saving", usd(item.monthlySavingMicrodollars), "USD"],
             [week, "\(item.kind):\(item.target)", "risk", item.risk, ""],
             [week, "\(item.kind):\(item.target)", "command", item.command, ""]]
        }))
        files.append(("budgets.csv", report.budgets.flatMap { budget in
            [("monthly_budget", budget.monthlyMicrodollars), ("month_to_date", budget.monthToDateMicrodollars), ("projection_p10", budget.p10Microdollars),
             ("projection_p50", budget.p50Microdollars), ("projection_p90", budget.p90Microdollars)].map { [week, "budget:\(budget.budget)", $0.0, usd($0.1), "USD"] }
                + [[week, "budget:\(budget.budget)", "status", budget.status, ""]]
        }))
        files.append(("recommendations.csv", report.recommendations.flatMap { row in
            func cores(_ millicores: Int64?) -> String { millicores.map { ReportFormat.fixed(Double($0) / 1000, digits: 3) } ?? "" }
            func bytes(_ value: Int64?) -> String { value.map(String.init) ?? "" }
            let scope = "container:\(row.container)"
            return [[week, scope, "replicas", String(row.replicas), "pods"],
                    [week, scope, "cpu_request", cores(row.cpuRequestMillicores), "cores"],
                    [week, scope, "recommended_cpu_request", cores(row.recommendedCPURequestMillicores), "cores"],
                    [week, scope, "memory_request", bytes(row.memoryRequestBytes), "bytes"],
                    [week, scope, "recommended_memory_request", bytes(row.recommendedMemoryRequestBytes), "bytes"],
                    [week, scope, "memory_limit", bytes(row.memoryLimitBytes), "bytes"],
                    [week, scope, "recommended_memory_limit", bytes(row.recommendedMemoryLimitBytes), "bytes"],
                    [week, scope, "monthly_cost", usd(row.monthlyMicrodollars), "USD"],
                    [week, scope, "recommended_monthly_cost", usd(row.recommendedMonthlyMicrodollars), "USD"]]
        }))
        files.append(("followthrough.csv", report.followThrough.adoptions.flatMap { adoption in
            let scope = "container:\(adoption.container)"
            return [[week, scope, "adopted", adoption.resources.joined(separator: "+"), ""],
                    [week, scope, "week_change", usd(adoption.weekChangeMicrodollars), "USD"],
                    [week, scope, "expected_monthly_saving", usd(adoption.expectedMonthlySavingMicrodollars), "USD"]]
        }))
        return files.map { name, rows in (name, ([header] + rows.map { $0.map(field).joined(separator: ",") }).joined(separator: "\n") + "\n") }
    }

    static func usd(_ amount: Int64) -> String { ReportFormat.plainDollars(amount) }

    /// RFC 4180 quoting; text a spreadsheet would run as a formula (`=`, `+`, `@`, tab, CR at
    /// the start) gets a leading `'`. Numbers (which may start with `-`) are written as they are.
    static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+@\t\r".contains(first) || (first == "-" && Double(text) == nil) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
