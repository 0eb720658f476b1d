import HeadroomCore
import HeadroomCost
import HeadroomRecommend
import Testing

/// One idle rule: `usage`, the advice note and reclamation call the same containers idle.
@Suite struct IdleRuleTests {
    static let id = ContainerID(namespace: "dev", kind: .deployment, workload: "sleepy", container: "app")
    static let end: Int64 = 1_795_392_000
    static let week = 2016

    /// A week of 5-minute CPU means of `millicores`, recorded in only `recorded` of the buckets (the last ones).
    static func week(millicores: Double, recorded: Int) -> [Double?] {
        (0..<week).map { $0 >= week - recorded ? millicores : nil }
    }

    struct Verdicts: Equatable { var usage: Bool; var advice: Bool; var reclaim: Bool }

    static func verdicts(_ means: [Double?]) throws -> Verdicts {
        let start = end - Int64(week) * 300
        let buckets = means.enumerated().compactMap { index, value in
            value.map { BucketStats(start: start + Int64(index) * 300, count: 1, mean: $0, max: $0, firstSampleMillis: 0, lastSampleMillis: 0) }
        }
        let profile = UsageProfile.make(container: id, cpu: buckets, memory: [], inventory: nil, oomKills: 0, windowBuckets: week)
        let series = RegularSeries(start: start, step: 300, values: means)
        let memory = RegularSeries(start: start, step: 300, values: means.map { $0.map { _ in 100 * 1_048_576 } })
        let history = ContainerHistory(container: id, current: nil, cpuMean: series, cpuMax: series, memoryMean: memory, memoryMax: memory,
                                       replicas: Array(repeating: 1, count: week), oomBytes: [], oomTimes: [], soleContainer: true)
        let advice = try #require(try ContainerAdvisor(strategy: .forecast, replaySteps: week, includeHPA: false).advise(history))
        return Verdicts(usage: profile.idle, advice: advice.notes.contains { $0.hasPrefix("idle") },
                        reclaim: ReclaimPlanner.idleWorkloads([id: CPUActivity(means: means)]).contains(id.workload))
    }

    @Test("a week near 1m CPU is idle everywhere; 3 recorded days of it (under half the week) are not idle anywhere; busy is never idle")
    func agree() throws {
        #expect(try Self.verdicts(Self.week(millicores: 1, recorded: Self.week)) == Verdicts(usage: true, advice: true, reclaim: true))
        #expect(try Self.verdicts(Self.week(millicores: 1, recorded: 3 * 288)) == Verdicts(usage: false, advice: false, reclaim: false))
        #expect(try Self.verdicts(Self.week(millicores: 1, recorded: 4 * 288)) == Verdicts(usage: true, advice: true, reclaim: true))
        #expect(try Self.verdicts(Self.week(millicores: 40, recorded: Self.week)) == Verdicts(usage: false, advice: false, reclaim: false))
    }
}
