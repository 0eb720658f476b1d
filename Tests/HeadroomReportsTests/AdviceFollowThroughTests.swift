import HeadroomHistory
import HeadroomReports
import HeadroomTesting
import Testing

/// Last week's advice against this week's requests: what was adopted, what was not, and the
/// record kept in the store between the two reports.
@Suite struct AdviceFollowThroughTests {
    static func advice(_ container: String, cpu: Int64?, memory: Int64?, recommendedCPU: Int64?, recommendedMemory: Int64?) -> RecordedAdvice {
        RecordedAdvice(container: container, cpuRequestMillicores: cpu, memoryRequestBytes: memory, recommendedCPURequestMillicores: recommendedCPU,
                       recommendedMemoryRequestBytes: recommendedMemory, monthlyMicrodollars: 20_000_000, recommendedMonthlyMicrodollars: 12_000_000)
    }
    static let gib: Int64 = 1 << 30

    @Test("the CPU advice taken (within 5 %), the memory advice not: one adoption, of CPU, with its cost change and the saving it promised")
    func partlyAdopted() {
        let result = AdviceFollowThrough.of(previousWeek: "2026-W46", recorded: [
            Self.advice("api", cpu: 1000, memory: 2 * Self.gib, recommendedCPU: 400, recommendedMemory: Self.gib),
        ], current: ["api": (cpu: 410, memory: 2 * Self.gib)], weekChange: ["api": -2_000_000])
        #expect(result.recorded && result.advised == 1)
        #expect(result.adoptions.map(\.resources) == [["cpu"]])
        #expect(result.adoptions.first?.weekChangeMicrodollars == -2_000_000 && result.adoptions.first?.expectedMonthlySavingMicrodollars == 8_000_000)
    }

    @Test("advice that asked for no change, requests that did not move, or moved elsewhere, and containers gone are not adoptions")
    func notAdoptions() {
        let result = AdviceFollowThrough.of(previousWeek: "2026-W46", recorded: [
            Self.advice("same", cpu: 500, memory: Self.gib, recommendedCPU: 510, recommendedMemory: Self.gib),
            Self.advice("ignored", cpu: 1000, memory: Self.gib, recommendedCPU: 300, recommendedMemory: Self.gib),
            Self.advice("elsewhere", cpu: 1000, memory: Self.gib, recommendedCPU: 300, recommendedMemory: Self.gib),
            Self.advice("gone", cpu: 1000, memory: Self.gib, recommendedCPU: 300, recommendedMemory: Self.gib),
        ], current: ["same": (cpu: 500, memory: Self.gib), "ignored": (cpu: 1000, memory: Self.gib), "elsewhere": (cpu: 700, memory: Self.gib)],
           weekChange: [:])
        #expect(result.advised == 3, "'same' asked for nothing")
        #expect(result.adoptions.isEmpty)
    }

    @Test("without a recorded report there is nothing to follow")
    func nothingRecorded() {
        let result = AdviceFollowThrough.of(previousWeek: "2026-W46", recorded: nil, current: [:], weekChange: [:])
        #expect(!result.recorded && result.adoptions.isEmpty)
    }

    @Test("the store keeps one week's advice per cluster; recording the week again replaces it")
    func stored() throws {
        let directory = try TemporaryDirectory()
        let store = try HistoryStore(path: directory.file("advice.sqlite"))
        try store.recordReportAdvice(cluster: "c", week: "2026-W46", [Self.advice("a", cpu: 1, memory: nil, recommendedCPU: 2, recommendedMemory: nil),
                                                                      Self.advice("b", cpu: 3, memory: 4, recommendedCPU: 5, recommendedMemory: 6)])
        try store.recordReportAdvice(cluster: "c", week: "2026-W46", [Self.advice("b", cpu: 3, memory: 4, recommendedCPU: 7, recommendedMemory: 8)])
        #expect(try store.reportAdvice(cluster: "c", week: "2026-W46") == [Self.advice("b", cpu: 3, memory: 4, recommendedCPU: 7, recommendedMemory: 8)])
        #expect(try store.reportAdvice(cluster: "c", week: "2026-W47").isEmpty)
        #expect(try store.reportAdvice(cluster: "other", week: "2026-W46").isEmpty)
    }
}
