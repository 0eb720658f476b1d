import HeadroomCore
import HeadroomCost
import Testing

/// Efficiency as Kubecost defines it, and spend change against a baseline, on hand-made numbers.
@Suite struct NamespaceEfficiencyTests {
    @Test("((cpu usage/request)·cpu cost + (ram usage/request)·ram cost) / (cpu cost + ram cost), summed over a namespace")
    func weighted() {
        let lines = NamespaceEfficiency.of([
            .init(namespace: "shop", cpuMicrodollars: 100, ramMicrodollars: 50, cpuUsageOverRequest: 0.2, memoryUsageOverRequest: 0.6),
            // No request: charged for its usage, so fully used.
            .init(namespace: "shop", cpuMicrodollars: 50, ramMicrodollars: 0, cpuUsageOverRequest: nil, memoryUsageOverRequest: nil),
            .init(namespace: "batch", cpuMicrodollars: 10, ramMicrodollars: 10, cpuUsageOverRequest: 1.5, memoryUsageOverRequest: 0.5),
            .init(namespace: "empty", cpuMicrodollars: 0, ramMicrodollars: 0, cpuUsageOverRequest: 0.5, memoryUsageOverRequest: 0.5),
        ])
        #expect(lines.map(\.namespace) == ["batch", "empty", "shop"])
        #expect(lines[0].efficiency == 1.0, "(1.5·10 + 0.5·10) / 20: usage above requests counts")
        #expect(lines[1].efficiency == nil)
        #expect(lines[2].efficiency == 0.5 && lines[2].cpuMicrodollars == 150 && lines[2].ramMicrodollars == 50, "(0.2·100 + 0.6·50 + 1·50) / 200")
    }

    static let day: Int64 = 86_400
    static let last: Int64 = 20 * day

    @Test("the last 7 days against the 14 before, scaled to 7; a namespace without a baseline is new spend")
    func spendChange() {
        var daily: [DailyNamespaceCost] = []
        for offset in 0..<21 {
            let dayStart = Self.last - Int64(offset) * Self.day
            daily.append(DailyNamespaceCost(day: dayStart, namespace: "shop", microdollars: offset < 7 ? 15 : 10))
            if offset < 3 { daily.append(DailyNamespaceCost(day: dayStart, namespace: "new", microdollars: 4)) }
        }
        let changes = SpendChange.of(daily, lastDay: Self.last, recentDays: 7, baselineDays: 14)
        #expect(changes.map(\.namespace) == ["new", "shop"])
        #expect(changes[1].recentMicrodollars == 105 && changes[1].baselineMicrodollars == 70 && changes[1].change == 0.5)
        #expect(changes[0].recentMicrodollars == 12 && changes[0].baselineMicrodollars == 0 && changes[0].change == nil)
        #expect(changes[1].exceeds(percent: 50, minimumSpend: 100) && !changes[1].exceeds(percent: 51, minimumSpend: 100))
        #expect(!changes[1].exceeds(percent: 10, minimumSpend: 106), "under the spend floor: quiet")
        #expect(changes[0].exceeds(percent: 1_000, minimumSpend: 12) && !changes[0].exceeds(percent: 1, minimumSpend: 13))
    }
}
