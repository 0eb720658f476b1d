import ArgumentParser
import Foundation
import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomEngine
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
                Reads the daily costs 'headroom cost allocate' stored. For each budget (see models/budgets/terrafusion.example.yaml): the month's actual spend of its namespaces, the rest of the month forecast from their daily history (weekly cycle when there is one), and a status: breached (spent more than the budget), projected (the P50 projection exceeds it), at risk (the P90 does), warning (the P50 crosses a threshold), ok.

                Quotas: each budget's namespaces' requests.cpu / requests.memory hard limits are priced at the rates allocation charges (their pools' node prices per allocatable core and GiB) for a month and compared with the budget; flagged when they allow overspending, when there is no quota, and when requests now use under half of them. The recommended quota is the recommended requests ('headroom advise' default strategy; HPA workloads at their maximum) + 25 %, trimmed to the budget.

                Several clusters in one store (--clusters all, or a comma-separated list): a budget that names clusters ('clusters: [production, production-eu]') counts the spend of those; one that names none counts every cluster checked. Each budget's month to date is broken down by cluster, and the month is the one of the latest day any cluster has stored. A single cluster's check (--cluster) counts a budget naming other clusters as nothing.

                Exit codes: 0 all budgets ok or warning, 3 a budget breached or projected to be, 2 bad input.

                Examples:
                  headroom budget check --budgets models/budgets/terrafusion.example.yaml
                  headroom budget check --budgets budgets.yaml -o json || page-the-team
                  headroom budget check --budgets fleet-budgets.yaml --clusters all
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var cluster: ClusterOptions
        @OptionGroup var fleet: FleetOptions
        @OptionGroup var priceOptions: PriceOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Budget file (YAML).") var budgets: String
        @Option(help: "Sizing overrides file (YAML) for the recommended requests behind the recommended quotas.") var overrides: String?
        @OptionGroup var jobs: JobsOption

        func validate() throws {
            try fleet.validate(with: cluster)
        }

        func run() async throws {
            let file: BudgetFile
            do { file = try BudgetFile.load(budgets) } catch { throw ValidationError(error.description) }
            var options = BudgetOptions(budgets: file.budgets, catalog: try priceOptions.catalog())
            options.jobs = jobs.count
            options.overrides = try loadOverrides(overrides)
            let report: BudgetReport
            if let names = fleet.selection {
                let history = try await store.openBackend(existing: true)
                let fleetReport = try await EngineCall.run { try await Engine.fleetBudgets(store: history, clusters: names, options: options) }
                for warning in history.takeWarnings() { printError("warning: \(warning)") }
                if !fleetReport.withoutCosts.isEmpty {
                    printError("no stored costs for \(fleetReport.withoutCosts.joined(separator: ", ")): run 'headroom cost allocate --cluster NAME'")
                }
                report = fleetReport.report
                print(try Render.output(fleetReport, format: output.format) { fleetReport.table }, terminator: "")
            } else {
                let engine = try await cluster.engine(store)
                report = try await EngineCall.run { try await engine.checkBudgets(options) }
                ClusterOptions.reportWarnings(engine)
                print(try Render.output(report, format: output.format) { report.table }, terminator: "")
            }
            if report.budgets.contains(where: \.isViolation) { throw ExitCode(3) }
        }
    }
}

extension BudgetReport {
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

extension FleetBudgetReport {
    /// The budgets' table, then each budget's month to date by cluster.
    var table: String {
        var byCluster = TextTable(headers: ["BUDGET", "CLUSTER", "MONTH TO DATE"])
        byCluster.rightAligned = [2]
        for result in report.budgets {
            for part in result.clusters ?? [] {
                byCluster.rows.append([result.budget, part.cluster, Money.dollars(part.monthToDateMicrodollars)])
            }
        }
        return "Clusters: \(clusters.joined(separator: ", "))\n" + report.table + "\nMonth to date by cluster:\n" + byCluster.render()
    }
}
