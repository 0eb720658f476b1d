import HeadroomCore
@testable import HeadroomCost
import Testing

@Suite struct BudgetTests {
    @Test("the month-end projection adds the month's actual days to the forecast of the rest")
    func projection() {
        // Three weeks of $10 weekdays and $4 weekend days; 9 days of the month seen, 5 left.
        let days: [Microdollars] = (0..<21).map { $0 % 7 >= 5 ? 4_000_000 : 10_000_000 }
        let projection = MonthProjection.project(history: days, daysInMonthSoFar: 9, daysLeft: 5)
        #expect(projection.monthToDate == days.suffix(9).reduce(0, +))
        // Days 21…25 of the cycle: weekdays 0–4, all $10.
        #expect(abs(projection.p50 - (projection.monthToDate + 50_000_000)) < 1_000_000, "\(projection)")
        #expect(projection.p10 <= projection.p50 && projection.p50 <= projection.p90)
        let done = MonthProjection.project(history: days, daysInMonthSoFar: 30, daysLeft: 0)
        #expect(done.p10 == done.p90 && done.p50 == days.reduce(0, +))
    }

    @Test("shared costs split uniformly or proportionally and always add up")
    func sharedSplit() {
        #expect(SharedCostDistribution.uniform.split(10, over: [5, 1, 1]) == [4, 3, 3])
        #expect(SharedCostDistribution.proportional.split(100, over: [300, 100, 0]) == [75, 25, 0])
        #expect(SharedCostDistribution.none.split(100, over: [1, 2]) == [0, 0])
        var random = SplitMix64(seed: 4)
        for _ in 0..<300 {
            let costs = (0..<Int(random.next() % 9 + 1)).map { _ in Microdollars(random.next() % 1_000_000) }
            let shared = Microdollars(random.next() % 5_000_000)
            for mode in [SharedCostDistribution.uniform, .proportional] { #expect(mode.split(shared, over: costs).reduce(0, +) == shared) }
        }
    }

    @Test("a quota that lets a namespace spend more than its budget is flagged; the recommended quota fits the budget")
    func quota() {
        let budget = Budget(name: "staging", namespaces: ["staging"], monthly: 250_000_000, thresholds: [100], line: nil)
        let rates = ResourceRates(perVCPUHour: 30_000, perGiBHour: 4_000)
        let quotas = [ResourceQuotaRecord(namespace: "staging", name: "compute", resource: "requests.cpu", hard: "40", used: nil),
                      ResourceQuotaRecord(namespace: "staging", name: "compute", resource: "requests.memory", hard: "128Gi", used: nil)]
        let finding = QuotaFinding.reconcile(budget: budget, quotas: quotas, rates: rates,
                                             requestedNow: ResourceAmounts(cpu: CPUQuantity(millicores: 6000), memory: MemoryQuantity(bytes: 16 << 30)),
                                             recommended: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: MemoryQuantity(bytes: 8 << 30)))
        // 40 × 0.03 + 128 × 0.004 = $1.712/h × 730 = $1,249.76.
        #expect(finding.quotaMonthlyMax == 1_249_760_000)
        #expect(finding.flags.contains { $0.hasPrefix("quota allows overspending") })
        #expect(finding.flags.contains { $0.hasPrefix("CPU quota far above use") })
        #expect(finding.recommendedQuota == ResourceAmounts(cpu: CPUQuantity(millicores: 2500), memory: .gibibyte.scaled(by: 10)))
        #expect(finding.recommendedQuotaMonthly <= budget.monthly)

        let none = QuotaFinding.reconcile(budget: budget, quotas: [], rates: rates, requestedNow: .none, recommended: .none)
        #expect(none.flags.first?.hasPrefix("no quota") == true && none.quotaMonthlyMax == nil)

        // Recommended requests that cost more than the budget: trimmed, and said.
        let tight = QuotaFinding.reconcile(budget: Budget(name: "t", namespaces: ["t"], monthly: 10_000_000, thresholds: [100], line: nil),
                                           quotas: quotas, rates: rates, requestedNow: .none,
                                           recommended: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: MemoryQuantity(bytes: 8 << 30)))
        #expect(tight.recommendedQuotaMonthly <= 10_000_000 && tight.flags.contains { $0.hasPrefix("recommended requests alone cost") })
    }
}

/// Quotas as Kubernetes enforces them: each ResourceQuota object on its own.
@Suite struct QuotaCapTests {
    static func line(_ namespace: String, _ name: String, _ resource: String, _ hard: String) -> ResourceQuotaRecord {
        ResourceQuotaRecord(namespace: namespace, name: name, resource: resource, hard: hard, used: nil)
    }

    @Test("two quota objects in one namespace cap at the smaller, not their sum; cpu and requests.cpu are one resource")
    func minimumPerNamespace() {
        let quotas = [Self.line("shop", "compute", "requests.cpu", "10"), Self.line("shop", "team-cap", "cpu", "4"),
                      Self.line("shop", "compute", "requests.memory", "32Gi"), Self.line("shop", "team-cap", "memory", "48Gi")]
        #expect(QuotaFinding.hardRequests(quotas) == ResourceAmounts(cpu: CPUQuantity(millicores: 4000), memory: .gibibyte.scaled(by: 32)))
    }

    @Test("namespaces' caps add up; a namespace without a cap leaves the budget uncapped, and says where")
    func acrossNamespaces() {
        let quotas = [Self.line("a", "q", "requests.cpu", "2"), Self.line("a", "q", "requests.memory", "4Gi"),
                      Self.line("b", "q", "cpu", "3"), Self.line("b", "r", "requests.cpu", "5")]
        let both = QuotaFinding.hardRequests(quotas, namespaces: ["a", "b"])
        #expect(both.cpu == CPUQuantity(millicores: 5000) && both.memory == nil)
        let budget = Budget(name: "ab", namespaces: ["a", "b"], monthly: 500_000_000, thresholds: [100], line: nil)
        let finding = QuotaFinding.reconcile(budget: budget, quotas: quotas, rates: ResourceRates(units: .openCostDefaults), requestedNow: .none,
                                             recommended: .none)
        #expect(finding.flags.contains("no memory quota in b: memory requests are uncapped"), "\(finding.flags)")
        #expect(QuotaFinding.hardRequests(quotas, namespaces: ["a", "b", "c"]).cpu == nil, "c has no quota at all")
    }
}
