import HeadroomCore
import HeadroomCost
import Testing

@Suite struct ResourcePricesTests {
    @Test("monthly cost at the fallback prices, in micro-dollars")
    func cost() {
        // 1 vCPU + 1 GiB for 730 h: 0.031611 × 730 + 0.004237 × 730 = 26.16904 dollars.
        let cost = ResourcePrices.fallback.monthlyMicrodollars(ResourceAmounts(cpu: CPUQuantity(millicores: 1000), memory: .gibibyte), replicas: 1)
        #expect(cost == 26_169_040)
        #expect(ResourcePrices.fallback.monthlyMicrodollars(ResourceAmounts(cpu: CPUQuantity(millicores: 1000)), replicas: 3) == 3 * 23_076_030)
    }

    @Test("a mean replica count prices the replayed average, rounded to the micro-dollar")
    func meanReplicas() {
        let requests = ResourceAmounts(cpu: CPUQuantity(millicores: 1000), memory: .gibibyte)
        #expect(ResourcePrices.fallback.monthlyMicrodollars(requests, meanReplicas: 2.5) == 65_422_600)
    }
}
