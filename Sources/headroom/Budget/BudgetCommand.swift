import ArgumentParser
import Foundation
import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomHistory
import HeadroomRecommend

/// `headroom budget check`: month-to-date spend and the month-end projection against each
/// budget, and the namespaces' quotas against their budgets. Exit 3 when a budget is breached or
/// projected to be.
struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Check monthly budgets against spend, projections and ResourceQuotas.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Month-to-date spend, month-end projection (P10–P90) and quota reconciliation per budget; exit 3 on a breach.",
            discussion: """
                Reads the daily costs 'headroom cost allocate' stored. For each budget (see
                models/budgets/terrafusion.example.yaml): the month's actual spend of its namespaces, the rest
                of the month forecast from their daily history (weekly cycle when there is one), and a status:
                breached (spent more than the budget), projected (the P50 projection exceeds it), at risk (the
                P90 does), warning (the P50 crosses a threshold), ok.

                Quotas: each budget's namespaces' requests.cpu / requests.memory hard limits are priced at the
                rates allocation charges (their pools' node prices per allocatable core and GiB) for a month and
                compared with the budget; flagged when they allow overspending, when there is no quota, and when
                requests now use under half of them. The recommended quota is the recommended requests
                ('headroom advise' forecast strategy; HPA workloads at their maximum) + 25 %, trimmed to the budget.

                Exit codes: 0 all budgets ok or warning, 3 a budget breached or projected to be, 2 bad input.

                Examples:
                  headroom budget check --budgets models/budgets/terrafusion.example.yaml
                  headroom budget check --budgets budgets.yaml -o json || page-the-team
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var priceOptions: PriceOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Budget file (YAML).") var budgets: String
        @Option(help: "Containers advised in parallel for the quota recommendation.") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        func run() async throws {
            let file: BudgetFile
            do { file = try BudgetFile.load(budgets) } catch { throw ValidationError(error.description) }
            let catalog = try priceOptions.catalog()
            let history = try store.openExisting()
            guard let range = try history.costDayRange() else { throw ValidationError("no stored costs: run 'headroom cost allocate' first") }
            let lastDay = range.upperBound
            let costs = try history.containerCosts(from: range.lowerBound, to: lastDay + 86_400)
            let (monthStart, monthEnd) = Calendar.utcMonth(containing: lastDay)
            let inventory = Dictionary(try history.latestInventory().map { ($0.container, $0) }, uniquingKeysWith: { $1 })
            let quotas = try history.latestQuotas()
            let priced = catalog.price(try history.latestNodes())
            let covered = Set(inventory.values.filter { record in file.budgets.contains { $0.covers(namespace: record.container.workload.namespace, labels: record.labels) } }
                .map(\.container))
            let recommended = try await recommendedRequests(history, containers: covered, inventory: inventory)

            var results: [BudgetResult] = []
            for budget in file.budgets {
                func covered(_ container: ContainerID) -> Bool {
                    budget.covers(namespace: container.workload.namespace, labels: inventory[container]?.labels ?? [:])
                }
                var daily = [Int64: Int64]()
                for row in costs where covered(row.container) { daily[row.day, default: 0] += row.total }
                var days: [Int64] = []
                var day = range.lowerBound
                while day <= lastDay {
                    days.append(daily[day] ?? 0)
                    day += 86_400
                }
                let inMonth = Int((lastDay - max(monthStart, range.lowerBound)) / 86_400) + 1
                let projection = MonthProjection.project(history: days, daysInMonthSoFar: inMonth, daysLeft: Int((monthEnd - lastDay) / 86_400) - 1)
                let containers = inventory.values.filter { covered($0.container) }
                let pools = Set(containers.compactMap(\.nodePool))
                let rates = ResourceRates(nodes: priced.filter { pools.contains($0.node.nodePool ?? "") }, fallback: catalog.units)
                func total(_ pick: (InventoryRecord) -> ResourceAmounts, replicas: (InventoryRecord) -> Int) -> ResourceAmounts {
                    containers.reduce(.zero) { $0 + pick($1).times(replicas($1)) }
                }
                let now = total({ $0.requests }, replicas: { $0.replicas ?? 1 })
                let wanted = total({ recommended[$0.container] ?? $0.requests }, replicas: { $0.hpa?.maxReplicas ?? $0.replicas ?? 1 })
                var quota = QuotaFinding.reconcile(budget: budget, quotas: quotas.filter { budget.namespaces.contains($0.namespace) }, rates: rates,
                                                   requestedNow: now, recommended: wanted)
                if budget.namespaces.isEmpty {
                    quota.flags = ["label budget: quotas are per namespace, so none is reconciled (the recommended quota is what its workloads need)"]
                }
                results.append(BudgetResult(budget: budget, projection: projection, quota: quota))
            }
            let report = BudgetReport(month: ISO8601DateFormatter.month(monthStart), lastDay: lastDay, budgets: results)
            print(try Render.output(report, format: output.format) { report.table }, terminator: "")
            if results.contains(where: { $0.status == .breached || $0.status == .projected }) { throw ExitCode(3) }
        }

        /// The forecast strategy's requests for the budgets' containers (HPAs not replayed).
        func recommendedRequests(_ history: HistoryStore, containers covered: Set<ContainerID>, inventory: [ContainerID: InventoryRecord]) async throws -> [ContainerID: ResourceAmounts] {
            guard let range = try history.usageTimeRange() else { return [:] }
            let end = range.upperBound + 300
            let containers = try history.containers().filter { covered.contains($0) }
            var advisor = ContainerAdvisor(strategy: .forecast, replaySteps: 2016, overrides: .init())
            advisor.includeHPA = false
            let (rows, _) = try await AdvicePipeline.advise(history, containers: containers, inventory: inventory, ooms: try history.events(kind: .oomKilled),
                                                            from: end - 14 * 86_400, to: end, advisor: advisor, jobs: max(1, jobs), progressLabel: nil)
            return Dictionary(rows.map { ($0.container, $0.recommended.requests) }, uniquingKeysWith: { $1 })
        }
    }
}

struct BudgetResult: Encodable {
    enum Status: String, Encodable { case ok, warning, atRisk = "at risk", projected, breached }
    var budget: String
    var namespaces: [String]
    var labels: [String: String]
    var monthlyMicrodollars: Int64
    var projection: MonthProjection
    var status: Status
    /// The highest threshold the P50 projection crosses.
    var thresholdCrossed: Int?
    var quota: QuotaFinding

    init(budget: Budget, projection: MonthProjection, quota: QuotaFinding) {
        self.budget = budget.name
        namespaces = budget.namespaces
        labels = budget.labels
        monthlyMicrodollars = budget.monthly
        self.projection = projection
        self.quota = quota
        thresholdCrossed = budget.thresholds.last { Int128(projection.p50) * 100 >= Int128(budget.monthly) * Int128($0) }
        status = projection.monthToDate > budget.monthly ? .breached
            : projection.p50 > budget.monthly ? .projected
            : projection.p90 > budget.monthly ? .atRisk
            : thresholdCrossed != nil ? .warning : .ok
    }
}

struct BudgetReport: Encodable {
    var month: String
    var lastDay: Int64
    var budgets: [BudgetResult]

    var table: String {
        var table = TextTable(headers: ["BUDGET", "SCOPE", "MONTHLY", "MONTH TO DATE", "PROJECTED P10", "P50", "P90", "STATUS"])
        table.rightAligned = [2, 3, 4, 5, 6]
        for result in budgets {
            let scope = (result.namespaces + result.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: ",")
            table.rows.append([result.budget, scope, Money.dollars(result.monthlyMicrodollars),
                               Money.dollars(result.projection.monthToDate), Money.dollars(result.projection.p10), Money.dollars(result.projection.p50),
                               Money.dollars(result.projection.p90),
                               result.status.rawValue + (result.thresholdCrossed.map { " (≥ \($0) %)" } ?? "")])
        }
        var quotas = TextTable(headers: ["BUDGET", "QUOTA (REQUESTS)", "QUOTA $/MONTH", "REQUESTED NOW", "RECOMMENDED QUOTA", "$/MONTH", "FINDINGS"])
        quotas.rightAligned = [2, 5]
        for result in budgets {
            let quota = result.quota
            func amounts(_ value: ResourceAmounts) -> String {
                value.cpu == nil && value.memory == nil ? "none"
                    : "\(value.cpu?.canonical ?? "-") / \(value.memory.map { $0.roundedUp(toMultipleOf: .mebibyte).canonical } ?? "-")"
            }
            quotas.rows.append([result.budget, amounts(quota.hard), quota.quotaMonthlyMax.map(Money.dollars) ?? "-", amounts(quota.requestedNow),
                                amounts(quota.recommendedQuota), Money.dollars(quota.recommendedQuotaMonthly),
                                quota.flags.isEmpty ? "ok" : quota.flags.map { $0.split(separator: ":").first.map(String.init) ?? $0 }.joined(separator: "; ")])
        }
        let first = budgets.first.map { "\($0.projection.daysActual) days actual, \($0.projection.daysLeft) forecast" } ?? ""
        return "Budgets for \(month) (\(first); range = sum of daily P10/P90):\n" + table.render()
            + "\nResourceQuotas against budgets (a month of the quota at the rates allocation charges):\n" + quotas.render()
            + budgets.flatMap { result in result.quota.flags.map { "  \(result.budget): \($0)" } }.joined(separator: "\n") + "\n"
    }
}

extension Calendar {
    /// Start of the UTC month containing `time`, and the start of the next one.
    static func utcMonth(containing time: Int64) -> (start: Int64, end: Int64) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: TimeInterval(time))
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
        let end = calendar.date(byAdding: .month, value: 1, to: start)!
        return (Int64(start.timeIntervalSince1970), Int64(end.timeIntervalSince1970))
    }
}

extension ISO8601DateFormatter {
    static func month(_ time: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return String(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time))).prefix(7))
    }
}
