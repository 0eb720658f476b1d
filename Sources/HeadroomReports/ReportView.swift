import Foundation
import HeadroomCost

/// The report as the templates see it: every figure already written as text (by `ReportFormat`,
/// as the CSV writes it), the charts as geometry. HTML and Markdown render this one value.
public struct ReportView: Sendable {
    public struct Row: Sendable { public var name: String; public var cost: String; public var previous: String; public var change: String }
    public struct BreakdownView: Sendable {
        public var by: String
        public var title: String
        public var rows: [Row]
        public var total: String
        public var previousTotal: String
        public var changeTotal: String
    }
    public struct DayRow: Sendable { public var date: String; public var cells: [Cell]; public var total: String }
    public struct Cell: Sendable { public var value: String }
    public struct CauseRow: Sendable {
        public var name, before, after, change, requests, replicas, usage, addedRemoved, prices: String
    }
    public struct EfficiencyRow: Sendable { public var namespace, efficiency, cpuCost, ramCost: String }
    public struct UsageRow: Sendable { public var workload, cost, cpuRequest, cpuUsage, memoryRequest, memoryUsage: String }
    public struct WasteRow: Sendable { public var pool, nodeCost, idle, share: String }
    public struct VolumeRow: Sendable { public var volume, cost: String }
    public struct SavingRow: Sendable { public var kind, target, saving, risk, evidence, command: String; public var patch: String? }
    public struct AdoptionRow: Sendable { public var container, resources, cpu, memory, weekChange, expectedSaving: String }
    public struct BudgetRow: Sendable { public var budget, monthly, monthToDate, p10, p50, p90, status: String; public var over: Bool }

    public var cluster: String
    public var week: String
    public var previousWeek: String
    public var firstDate: String
    public var lastDate: String
    public var timeZone: String
    public var generatedAt: String
    public var partialWeek: Bool
    public var coverage: String
    public var total: String
    public var previous: String
    public var change: String
    public var changePercent: String
    public var workloadsCost: String
    public var idleCost: String
    public var unattachedCost: String
    public var sharedNamespaces: String
    public var distribution: String
    public var dailyChart: ReportChart
    public var dailyColumns: [Cell]
    public var dailyRows: [DayRow]
    /// The week's sum of each column of the daily table.
    public var dailyTotals: [Cell]
    public var namespaces: BreakdownView
    public var workloads: BreakdownView
    public var labels: [BreakdownView]
    public var hasCauses: Bool
    public var causes: [CauseRow]
    public var workloadCauses: [CauseRow]
    public var efficiency: [EfficiencyRow]
    public var hasUsage: Bool
    public var cpuChart: ReportChart
    public var memoryChart: ReportChart
    public var usageRows: [UsageRow]
    public var waste: [WasteRow]
    public var hasVolumes: Bool
    public var volumes: [VolumeRow]
    public var hasSavings: Bool
    public var savings: [SavingRow]
    public var reclaimable: String
    public var hasBudgets: Bool
    public var budgetMonth: String
    public var budgets: [BudgetRow]
    public var projectionChart: ReportChart
    public var followThroughRecorded: Bool
    public var followThroughWeek: String
    public var advised: String
    public var hasAdoptions: Bool
    public var adoptions: [AdoptionRow]
    public var adoptedChange: String

    public init(_ report: WeeklyReport) {
        let metadata = report.metadata
        let money = ReportFormat.dollars, signed = ReportFormat.signedDollars
        cluster = metadata.cluster
        week = metadata.week
        previousWeek = metadata.previousWeek
        firstDate = metadata.firstDate
        lastDate = metadata.lastDate
        timeZone = metadata.timeZone
        generatedAt = Date(timeIntervalSince1970: TimeInterval(metadata.generatedAt)).formatted(Date.ISO8601FormatStyle())
        partialWeek = metadata.hoursWithUsage < metadata.hours
        coverage = "\(metadata.hoursWithUsage) of \(metadata.hours) hours"
        total = money(report.spend.totalMicrodollars)
        previous = money(report.spend.previousMicrodollars)
        change = signed(report.spend.changeMicrodollars)
        changePercent = ReportFormat.percent(report.spend.changePercent)
        workloadsCost = money(report.spend.workloadsMicrodollars)
        idleCost = money(report.spend.idleMicrodollars)
        unattachedCost = money(report.spend.unattachedMicrodollars)
        sharedNamespaces = metadata.sharedNamespaces.joined(separator: ", ")
        distribution = metadata.distribution
        dailyChart = ReportChart.daily(report)
        dailyColumns = ((report.daily.first?.namespaces.map(\.name) ?? []) + ["idle", "unattached volumes"]).map(Cell.init)
        dailyRows = report.daily.map { day in
            DayRow(date: day.date, cells: (day.namespaces.map(\.microdollars) + [day.idleMicrodollars, day.unattachedMicrodollars]).map { Cell(value: money($0)) },
                   total: money(day.totalMicrodollars))
        }
        let columns = report.daily.map { $0.namespaces.map(\.microdollars) + [$0.idleMicrodollars, $0.unattachedMicrodollars] }
        dailyTotals = (0..<(columns.first?.count ?? 0)).map { column in Cell(value: money(columns.reduce(0) { $0 + $1[column] })) }
        func breakdown(_ breakdown: WeeklyReport.Breakdown) -> BreakdownView {
            let title = breakdown.by.hasPrefix("label:") ? "label \(breakdown.by.dropFirst(6))" : breakdown.by
            return BreakdownView(by: breakdown.by, title: title,
                                 rows: breakdown.lines.map { Row(name: $0.members > 1 ? "\($0.name) (\($0.members))" : $0.name, cost: money($0.microdollars),
                                                                 previous: money($0.previousMicrodollars), change: signed($0.changeMicrodollars)) },
                                 total: money(breakdown.totalMicrodollars), previousTotal: money(breakdown.previousTotalMicrodollars),
                                 changeTotal: signed(breakdown.totalMicrodollars - breakdown.previousTotalMicrodollars))
        }
        namespaces = breakdown(report.namespaces)
        workloads = breakdown(report.workloads)
        labels = report.labels.map(breakdown)
        func cause(_ row: CostCauses) -> CauseRow {
            CauseRow(name: row.name, before: money(row.beforeMicrodollars), after: money(row.afterMicrodollars), change: signed(row.changeMicrodollars),
                     requests: signed(row.requestsMicrodollars), replicas: signed(row.replicasMicrodollars), usage: signed(row.usageAboveRequestsMicrodollars),
                     addedRemoved: signed(row.addedRemovedMicrodollars), prices: signed(row.pricesMicrodollars))
        }
        hasCauses = !report.causes.isEmpty
        causes = report.causes.map(cause)
        workloadCauses = report.workloadCauses.map(cause)
        efficiency = report.efficiency.map {
            EfficiencyRow(namespace: $0.namespace, efficiency: $0.efficiency.map { ReportFormat.fixed($0 * 100, digits: 1) + " %" } ?? "n/a",
                          cpuCost: money($0.cpuMicrodollars), ramCost: money($0.ramMicrodollars))
        }
        hasUsage = !report.requestsAndUsage.isEmpty
        cpuChart = ReportChart.requestsAndUsage(report.requestsAndUsage, id: "cpu-requests-usage", title: "CPU requested and used, top workloads by cost",
                                                unit: "cores") { ($0.cpuRequestCores, $0.cpuUsageCores) }
        memoryChart = ReportChart.requestsAndUsage(report.requestsAndUsage, id: "memory-requests-usage", title: "Memory requested and used, top workloads by cost",
                                                   unit: "GiB") { ($0.memoryRequestGiB, $0.memoryUsageGiB) }
        usageRows = report.requestsAndUsage.map {
            UsageRow(workload: $0.workload, cost: money($0.microdollars), cpuRequest: ReportFormat.fixed($0.cpuRequestCores, digits: 2),
                     cpuUsage: ReportFormat.fixed($0.cpuUsageCores, digits: 2), memoryRequest: ReportFormat.fixed($0.memoryRequestGiB, digits: 2),
                     memoryUsage: ReportFormat.fixed($0.memoryUsageGiB, digits: 2))
        }
        waste = report.waste.map {
            WasteRow(pool: $0.pool, nodeCost: money($0.nodeMicrodollars), idle: money($0.idleMicrodollars), share: ReportFormat.fixed($0.idleShare * 100, digits: 1) + " %")
        }
        hasVolumes = !report.unattachedVolumes.isEmpty
        volumes = report.unattachedVolumes.map { VolumeRow(volume: $0.volume, cost: money($0.microdollars)) }
        hasSavings = !report.savings.isEmpty
        savings = report.savings.map {
            SavingRow(kind: $0.kind, target: $0.target, saving: money($0.monthlySavingMicrodollars), risk: $0.risk, evidence: $0.evidence,
                      command: $0.command, patch: $0.patch)
        }
        reclaimable = money(report.reclaimableMonthlyMicrodollars)
        hasBudgets = !report.budgets.isEmpty
        budgetMonth = report.budgetMonth ?? ""
        budgets = report.budgets.map {
            BudgetRow(budget: $0.budget, monthly: money($0.monthlyMicrodollars), monthToDate: money($0.monthToDateMicrodollars), p10: money($0.p10Microdollars),
                      p50: money($0.p50Microdollars), p90: money($0.p90Microdollars), status: $0.status, over: $0.p90Microdollars > $0.monthlyMicrodollars)
        }
        projectionChart = ReportChart.projection(report)
        let follow = report.followThrough
        followThroughRecorded = follow.recorded
        followThroughWeek = follow.previousWeek
        advised = String(follow.advised)
        hasAdoptions = !follow.adoptions.isEmpty
        func cores(_ value: Int64?) -> String { value.map { "\($0)m" } ?? "none" }
        func mebibytes(_ value: Int64?) -> String { value.map { "\($0 / 1_048_576)Mi" } ?? "none" }
        adoptions = follow.adoptions.map {
            AdoptionRow(container: $0.container, resources: $0.resources.joined(separator: ", "),
                        cpu: "\(cores($0.cpuRequestBeforeMillicores)) → \(cores($0.cpuRequestNowMillicores))",
                        memory: "\(mebibytes($0.memoryRequestBeforeBytes)) → \(mebibytes($0.memoryRequestNowBytes))",
                        weekChange: signed($0.weekChangeMicrodollars), expectedSaving: money($0.expectedMonthlySavingMicrodollars))
        }
        adoptedChange = signed(follow.weekChangeMicrodollars)
    }
}
