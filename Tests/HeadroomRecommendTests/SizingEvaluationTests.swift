import Foundation
import HeadroomCore
import HeadroomRecommend
import Testing

@Suite struct SizingScoreTests {
    func trace(_ name: String, cpu: [Double], memory: [Double]) -> SizingTrace {
        SizingTrace(name: name, trainingTimes: [0], trainingCPU: [1], trainingMemory: [1], evaluationCPU: cpu, evaluationMemory: memory)
    }

    @Test("overrun, shortfall, OOM buckets and slack, pooled over containers; the worst container leaves idle ones out")
    func pooled() {
        let traces = [trace("a", cpu: [0.5, 1.5, 2.0, 1.0], memory: [10, 20, 30, 40]), trace("idle", cpu: [0, 0, 0.2, 0.2], memory: [1, 1, 1, 1])]
        let score = SizingScore.score("rule", traces: traces, cpuCores: [1, 0.1], memoryBytes: [30, 2], idle: ["idle"])
        // a: 2 of 4 above 1 core; idle: 2 of 4 above 0.1 → 4 of 8.
        #expect(score.cpuOverrunPercent == 50)
        // Shortfall (0.5 + 1.0 + 0.1 + 0.1) ÷ (5.0 + 0.4).
        #expect(abs(score.cpuShortfallPercent - 100 * 1.7 / 5.4) < 1e-9)
        #expect(score.oomBuckets == 1)  // 40 > 30; 30 is not above 30
        #expect(score.worstContainer == "a" && score.worstOverrunPercent == 50)
        #expect(abs(score.cores - 1.1) < 1e-12)
        // Slack: a (1 − mean 1.25) = −0.25, idle 0.1 − 0.1 = 0.
        #expect(abs(score.cpuSlackCores - -0.25) < 1e-12)
    }
}

@Suite struct SizingFrontierTests {
    func score(_ name: String, cores: Double, overrun: Double) -> SizingScore {
        SizingScore.score(name, traces: [], cpuCores: [], memoryBytes: [], idle: []).with(name: name, cores: cores, overrun: overrun)
    }

    @Test("the envelope keeps the cheapest rule at each risk, interpolates between them and holds its ends")
    func envelope() throws {
        let frontier = SizingFrontier([score("a", cores: 40, overrun: 0.1), score("b", cores: 30, overrun: 1.0), score("dominated", cores: 35, overrun: 2.0),
                                       score("c", cores: 20, overrun: 5.0)], risk: \.cpuOverrunPercent)
        #expect(frontier.points.map(\.name) == ["a", "b", "c"])
        #expect(try #require(frontier.cores(at: 0.55)) == 35)
        #expect(try #require(frontier.cores(at: 3.0)) == 25)
        #expect(frontier.cores(at: 0.01) == 40)
        #expect(frontier.cores(at: 9) == 20)
        // 33 cores at 0.55 % overrun beat the envelope's 35 there by 2/35; 37 cores lose.
        #expect(abs(try #require(frontier.savedShare(cores: 33, at: 0.55)) - 2.0 / 35) < 1e-12)
        #expect(try #require(frontier.savedShare(cores: 37, at: 0.55)) < 0)
    }
}

extension SizingScore {
    func with(name: String, cores: Double, overrun: Double) -> SizingScore {
        var copy = self
        copy.name = name
        copy.cores = cores
        copy.cpuOverrunPercent = overrun
        return copy
    }
}

@Suite struct SizingTraceTests {
    /// `count` bins from `start`, percent values from `value`, skipping `missing`.
    func series(start: Int64, count: Int, missing: Set<Int> = [], value: (Int) -> Double) -> RegularSeries {
        RegularSeries(start: start, step: 300, values: (0..<count).map { missing.contains($0) ? nil : value($0) })
    }

    @Test("the protocol's container: shared bins only, the last 576 evaluated, up to 4,032 before them trained on, percent as cores and bytes")
    func split() throws {
        let count = 5_000
        let cpu = series(start: 0, count: count, missing: [10]) { _ in 50 }
        let memory = series(start: 0, count: count, missing: [20, 4_990]) { _ in 25 }
        let trace = try SizingTrace.fromUtilization(name: "m", cpuPercent: cpu, memoryPercent: memory)
        #expect(trace.evaluationCPU.count == 576 && trace.evaluationMemory.count == 576)
        // 4,997 shared bins: 576 evaluated, 4,421 before them of which the last 4,032 train.
        #expect(trace.trainingCPU.count == 4_032)
        #expect(trace.trainingCPU.allSatisfy { $0 == 2 } && trace.evaluationMemory.allSatisfy { $0 == 2 * 1_073_741_824 })
        // The history `advise` reads keeps the trace's own gaps as gaps.
        let history = trace.history
        #expect(history.cpuMean.values.count == Int((trace.trainingTimes.last! - trace.trainingTimes.first!) / 300) + 1)
        #expect(history.current?.requests.cpu == CPUQuantity(millicores: 2_000))
    }

    @Test("shared bins spanning under 7.9 days are skipped with the span")
    func shortSpan() {
        let cpu = series(start: 0, count: 2_000) { _ in 10 }
        let memory = series(start: 0, count: 2_000) { _ in 10 }
        #expect(throws: SizingTrace.Skip.shortSpan(seconds: 1_999 * 300)) { try SizingTrace.fromUtilization(name: "s", cpuPercent: cpu, memoryPercent: memory) }
    }
}

@Suite struct SizingEvaluationTests {
    /// Three containers of 9 days: a steady noisy one, a daily wave, one that steps up.
    func traces() throws -> [SizingTrace] {
        var random = SplitMix64(seed: 11)
        let count = 9 * 288
        func make(_ name: String, _ value: (Int) -> Double) throws -> SizingTrace {
            var values: [Double?] = []
            for index in 0..<count { values.append(max(0, value(index) * (1 + 0.1 * random.nextGaussian()))) }
            let cpu = RegularSeries(start: 0, step: 300, values: values)
            let memory = RegularSeries(start: 0, step: 300, values: (0..<count).map { _ in 30 })
            return try SizingTrace.fromUtilization(name: name, cpuPercent: cpu, memoryPercent: memory)
        }
        return [try make("steady") { _ in 40 }, try make("wave") { 40 + 20 * sin(2 * Double.pi * Double($0) / 288) },
                try make("step") { $0 < 6 * 288 ? 20 : 30 }]
    }

    @Test("every rule of the percentile family and the VPA are scored, the frontier is monotone, and each Headroom variant gets its saved shares")
    func runs() async throws {
        let evaluation = try await SizingEvaluation.evaluate(try traces(), variants: [.init(strategy: .risk), .init(strategy: .risk, cpuRisk: 0.05)], jobs: 2)
        #expect(evaluation.percentile.count == 35)
        #expect(evaluation.headroom.count == 2 && evaluation.headroom.allSatisfy { $0.savedAtOverrun != nil && $0.savedAtShortfall != nil })
        let points = evaluation.overrunFrontier.points
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.risk <= $1.risk && $0.cores > $1.cores })
        #expect(evaluation.krr.name.hasPrefix("krr simple"))
        // A narrower target asks for more cores.
        #expect(evaluation.headroom[0].score.cores > evaluation.headroom[1].score.cores)
    }

    @Test("the gates fail when a calibration target misses its band or the default has OOM buckets")
    func gates() async throws {
        var evaluation = try await SizingEvaluation.evaluate(try traces(), variants: [.init(strategy: .risk), .init(strategy: .risk, cpuRisk: 0.05)])
        evaluation.headroom[1].score.cpuOverrunPercent = 10  // 2× a 5 % target
        evaluation.headroom[0].score.oomBuckets = 3
        let failed = evaluation.checks.filter { !$0.passed }.map(\.description)
        #expect(failed.contains { $0.contains("2.00× the target") })
        #expect(failed.contains { $0.contains("3 OOM buckets") })
        evaluation.headroom[1].score.cpuOverrunPercent = 5
        #expect(evaluation.checks.contains { $0.passed && $0.description.contains("1.00× the target") })
    }
}
