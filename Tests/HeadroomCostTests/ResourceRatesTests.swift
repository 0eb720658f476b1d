import HeadroomCore
import HeadroomCost
import HeadroomRecommend
import Testing

/// Every monthly figure comes from one integer formula, rounded once.
@Suite struct ResourceRatesTests {
    static let openCost = ResourceRates(units: .openCostDefaults)

    @Test("a month of 1 vCPU + 1 GiB at OpenCost's unit prices: (0.031611 + 0.004237) × 730 = $26.16904")
    func workedValue() {
        #expect(Self.openCost.monthly(ResourceAmounts(cpu: CPUQuantity(millicores: 1000), memory: .gibibyte)) == 26_169_040)
        #expect(Self.openCost.monthly(ResourceAmounts(cpu: CPUQuantity(millicores: 1000)), replicas: 3) == 3 * 23_076_030)
    }

    @Test("small requests are not floored per hour: 1m CPU is 31.611 µ$ an hour, 23,076 µ$ a month (not 31 × 730 = 22,630)")
    func roundedOnce() {
        #expect(Self.openCost.monthly(ResourceAmounts(cpu: CPUQuantity(millicores: 1))) == 23_076)
        // 1 MiB at 4,237 µ$/GiB-h: 4.1377 µ$/h × 730 = 3,020.5 µ$ → 3,021 (half up).
        #expect(Self.openCost.monthly(ResourceAmounts(memory: .mebibyte)) == 3_021)
        // Replicas multiply before the one rounding: 100 × 1m = 100m exactly.
        #expect(Self.openCost.monthly(ResourceAmounts(cpu: CPUQuantity(millicores: 1)), replicas: 100)
                == Self.openCost.monthly(ResourceAmounts(cpu: CPUQuantity(millicores: 100))))
    }

    @Test("advice and quotas price the same requests alike, to the micro-dollar")
    func adviceAgreesWithQuotas() {
        let requests = ResourceAmounts(cpu: CPUQuantity(millicores: 333), memory: MemoryQuantity(bytes: 333 << 20))
        let risk = ReplayedRisk(cpuPressureMinutes: 0, oomBuckets: 0, cpuSlackMillicores: 0, memorySlackBytes: 0)
        let configuration = SizedConfiguration(requests: requests, limits: .none, risk: risk)
        let advice = ContainerAdvice(container: ContainerID(namespace: "a", kind: .deployment, workload: "w", container: "c"), replicas: 7,
                                     current: configuration, recommended: configuration, vpaBounds: nil, hpa: nil, models: [], notes: [])
        let priced = PricedContainerAdvice.price(advice, at: Self.openCost)
        let budget = Budget(name: "b", namespaces: ["a"], monthly: 1_000_000_000, thresholds: [100], line: nil)
        let quota = QuotaFinding.reconcile(budget: budget, quotas: [
            ResourceQuotaRecord(namespace: "a", name: "q", resource: "requests.cpu", hard: "2331m", used: nil),
            ResourceQuotaRecord(namespace: "a", name: "q", resource: "requests.memory", hard: "\(7 * 333)Mi", used: nil),
        ], rates: Self.openCost, requestedNow: requests.times(7), recommended: requests.times(7))
        #expect(priced.currentMonthly == quota.quotaMonthlyMax)
        #expect(priced.currentMonthly == Self.openCost.monthly(requests, replicas: 7))
    }

    @Test("the billing month's hours come from the prices: 720 hours make a 720-hour month")
    func hoursPerMonth() throws {
        var units = UnitPrices.openCostDefaults
        units.hoursPerMonth = 720
        #expect(ResourceRates(units: units).monthly(ResourceAmounts(cpu: CPUQuantity(millicores: 1000))) == 31_611 * 720)
        let plan = try #require(try? PoolPlanner.plan([.init(name: "p", requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: .gibibyte), count: 1)],
                                         catalog: [NodeType(name: "n", vcpu: 2, memoryGiB: 8, maxPods: 29, microdollarsPerHour: 96_000)], hoursPerMonth: 720))
        #expect(plan.monthlyMicrodollars == 96_000 * 720)
    }

    @Test("a mean replica count prices the replayed average, rounded to the micro-dollar")
    func meanReplicas() {
        let requests = ResourceAmounts(cpu: CPUQuantity(millicores: 1000), memory: .gibibyte)
        #expect(Self.openCost.monthly(requests, meanReplicas: 2.5) == 65_422_600)
    }
}
