import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomEngine

/// Which alert conditions hold in an Assessment: a pure function of the rules, the Assessment
/// and `now`, so every output that shows the Assessment agrees with the alerts raised from it.
public enum AlertEvaluator {
    /// Hours in the month the idle-cost rule scales the allocation window's idle cost to.
    public static let hoursPerMonth: Int64 = 730

    /// Every instance carries the assessment's cluster in its scope, so one store's alerts of
    /// several clusters stay apart (the same namespace in two clusters is two alerts).
    public static func evaluate(_ rules: [AlertRule], _ assessment: Assessment, now: Int64) -> [AlertInstance] {
        rules.flatMap { instances(of: $0, in: assessment, now: now) }.map { $0.inCluster(assessment.metadata.cluster) }.sorted { $0.key < $1.key }
    }

    static func instances(of rule: AlertRule, in assessment: Assessment, now: Int64) -> [AlertInstance] {
        switch rule.kind {
        case .budgetActual(let thresholds):
            return budgets(rule, assessment).flatMap { budget in
                thresholds.filter { reached(budget.projection.monthToDate, $0, of: budget.monthlyMicrodollars) }.map { threshold in
                    AlertInstance(rule: rule, scope: ["budget": budget.budget, "threshold": "\(threshold)"],
                                  summary: "Budget \(budget.budget): \(percent(budget.projection.monthToDate, of: budget.monthlyMicrodollars)) of the month's budget spent",
                                  description: "Month-to-date spend \(Money.dollars(budget.projection.monthToDate)) after \(budget.projection.daysActual) day(s) has reached \(threshold) % of the monthly budget of \(Money.dollars(budget.monthlyMicrodollars)). Month-end projection P50 \(Money.dollars(budget.projection.p50)), P90 \(Money.dollars(budget.projection.p90)).")
                }
            }
        case .budgetForecast(let percentile, let threshold):
            return budgets(rule, assessment).compactMap { budget in
                let projected = percentile == .p50 ? budget.projection.p50 : budget.projection.p90
                guard reached(projected, threshold, of: budget.monthlyMicrodollars) else { return nil }
                return AlertInstance(rule: rule, scope: ["budget": budget.budget, "threshold": "\(threshold)"],
                                     summary: "Budget \(budget.budget): month-end \(percentile.rawValue.uppercased()) projection \(Money.dollars(projected)) is \(percent(projected, of: budget.monthlyMicrodollars)) of the budget",
                                     description: "Projected month-end spend (\(percentile.rawValue.uppercased()), \(budget.projection.model)) \(Money.dollars(projected)) reaches \(threshold) % of the monthly budget of \(Money.dollars(budget.monthlyMicrodollars)). Spent so far: \(Money.dollars(budget.projection.monthToDate)) in \(budget.projection.daysActual) day(s), \(budget.projection.daysLeft) day(s) left; P10–P90 \(Money.dollars(budget.projection.p10))–\(Money.dollars(budget.projection.p90)).")
            }
        case .idleCost(let minimumMonthly, let minimumShare):
            let hours = Int64(max(1, assessment.allocation.hours))
            return assessment.allocation.pools.filter { rule.scope.pools.isEmpty || rule.scope.pools.contains($0.pool) }.compactMap { pool in
                guard pool.nodeMicrodollars > 0, pool.idleMicrodollars > 0 else { return nil }
                let monthly = Int64(clamping: Int128(pool.idleMicrodollars) * Int128(hoursPerMonth) / Int128(hours))
                let share = Double(pool.idleMicrodollars) / Double(pool.nodeMicrodollars)
                let overAmount = minimumMonthly.map { monthly >= $0 } ?? true
                let overShare = minimumShare.map { share >= $0 } ?? true
                guard overAmount && overShare else { return nil }
                return AlertInstance(rule: rule, scope: ["pool": pool.pool],
                                     summary: "Pool \(pool.pool): \(Money.dollars(monthly)) a month idle (\(Int((share * 100).rounded())) % of its nodes' cost)",
                                     description: "Over the last \(hours) h the pool's nodes cost \(Money.dollars(pool.nodeMicrodollars)), of which \(Money.dollars(pool.idleMicrodollars)) was not allocated to any container: \(Money.dollars(monthly)) a month at this rate. See the reclamation plan for nodes to drain.")
            }
        case .workloadRisk(let oomBuckets, let oomKills):
            let containers = assessment.containers.filter { container in
                inScope(rule, container.container.workload.namespace) && rule.scope.labels.allSatisfy { container.labels[$0.key] == $0.value }
            }
            return Dictionary(grouping: containers, by: \.container.workload).sorted { $0.key < $1.key }.compactMap { workload, members in
                let buckets = members.map(\.current.risk.oomBuckets).reduce(0, +)
                let kills = members.map(\.oomKills).reduce(0, +)
                let replayed = oomBuckets.map { buckets >= $0 } ?? false
                let seen = oomKills.map { kills >= $0 } ?? false
                guard replayed || seen else { return nil }
                let worst = members.max { ($0.oomKills, $0.current.risk.oomBuckets) < ($1.oomKills, $1.current.risk.oomBuckets) }!
                let what = [seen ? "\(kills) OOM kill(s) seen" : nil, replayed ? "current memory limits replay into \(buckets) OOM bucket(s)" : nil]
                return AlertInstance(rule: rule, scope: ["namespace": workload.namespace, "workload": "\(workload.kind.rawValue)/\(workload.name)"],
                                     summary: "\(workload): " + what.compactMap { $0 }.joined(separator: "; "),
                                     description: "Over the advice window \(workload) had \(kills) OOM kill(s), and its current limits replay into \(buckets) 5-minute bucket(s) at the limit, each an OOM kill; worst container \(worst.container.container) (limit \(worst.current.limits.memory?.canonical ?? "none"), recommended \(worst.recommended.limits.memory?.canonical ?? "none"), \(worst.recommended.risk.oomBuckets) OOM bucket(s) replayed at the recommendation).")
            }
        case .spendChange(let recentDays, let baselineDays, let minimumPercent, let minimumSpend):
            guard let lastDay = assessment.allocation.daily.map(\.day).max() else { return [] }
            return SpendChange.of(assessment.allocation.daily, lastDay: lastDay, recentDays: recentDays, baselineDays: baselineDays).compactMap { change in
                guard inScope(rule, change.namespace), change.exceeds(percent: minimumPercent, minimumSpend: minimumSpend) else { return nil }
                let moved = change.change.map { "up \(Int(($0 * 100).rounded())) %" } ?? "new spend"
                return AlertInstance(rule: rule, scope: ["namespace": change.namespace],
                                     summary: "Namespace \(change.namespace): \(Money.dollars(change.recentMicrodollars)) in the last \(recentDays) day(s), \(moved)",
                                     description: "Allocated cost of \(change.namespace) over the \(recentDays) day(s) to \(SinkMessages.rfc3339(lastDay).prefix(10)) was \(Money.dollars(change.recentMicrodollars)), against \(Money.dollars(change.baselineMicrodollars)) over the \(baselineDays) day(s) before (scaled to \(recentDays)): \(moved), at least \(minimumPercent) % and over \(Money.dollars(minimumSpend)).")
            }
        case .efficiency(let below, let minimumMonthly):
            let hours = Int64(max(1, assessment.allocation.hours))
            return assessment.allocation.efficiency.compactMap { line in
                guard inScope(rule, line.namespace), let efficiency = line.efficiency, efficiency < below else { return nil }
                let monthly = Int64(clamping: Int128(line.cpuMicrodollars.saturatingAdd(line.ramMicrodollars)) * Int128(hoursPerMonth) / Int128(hours))
                guard monthly >= minimumMonthly else { return nil }
                return AlertInstance(rule: rule, scope: ["namespace": line.namespace],
                                     summary: "Namespace \(line.namespace): \(Int((efficiency * 100).rounded())) % efficient at \(Money.dollars(monthly)) a month",
                                     description: "Cost-weighted usage over requests of \(line.namespace) is \(Int((efficiency * 100).rounded())) % (below \(Int((below * 100).rounded())) %): its CPU and memory cost \(Money.dollars(monthly)) a month at the allocation's rate. The reclamation plan lists the requests to lower.")
            }
        case .dataStaleness(let maxAge):
            return assessment.freshness.clusters.compactMap { cluster in
                let age = cluster.usageAgeSeconds
                guard age.map({ $0 > maxAge }) ?? true else { return nil }
                return AlertInstance(rule: rule, scope: ["cluster": cluster.cluster],
                                     summary: "Cluster \(cluster.cluster): no new usage for \(age.map(duration) ?? "ever")",
                                     description: age.map { "The newest usage bucket of \(cluster.cluster) ended \(duration($0)) before the evaluation, longer than the allowed \(duration(maxAge)): collection has stopped or Prometheus is not scraping." }
                                         ?? "The store holds no usage for \(cluster.cluster).")
            }
        }
    }

    static func inScope(_ rule: AlertRule, _ namespace: String) -> Bool { rule.scope.namespaces.isEmpty || rule.scope.namespaces.contains(namespace) }

    static func budgets(_ rule: AlertRule, _ assessment: Assessment) -> [BudgetResult] {
        (assessment.budgets?.budgets ?? []).filter { rule.scope.budgets.isEmpty || rule.scope.budgets.contains($0.budget) }
    }

    /// `amount ≥ percent % of budget`, exactly, in 128 bits.
    static func reached(_ amount: Int64, _ percent: Int, of budget: Int64) -> Bool {
        budget > 0 && Int128(amount) * 100 >= Int128(budget) * Int128(percent)
    }

    static func percent(_ amount: Int64, of budget: Int64) -> String {
        budget > 0 ? "\(Int((Double(amount) / Double(budget) * 100).rounded())) %" : "-"
    }

    static func duration(_ seconds: Int64) -> String {
        seconds < 7_200 ? "\(seconds / 60)m" : seconds < 172_800 ? "\(seconds / 3_600)h" : "\(seconds / 86_400)d"
    }
}
