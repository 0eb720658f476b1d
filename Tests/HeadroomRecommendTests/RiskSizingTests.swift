import Foundation
import HeadroomCore
import HeadroomRecommend
import Testing

@Suite struct RecencyWeightedQuantileTests {
    /// The weighted quantile by definition: the smallest value whose cumulative weight (values
    /// ascending, weight 2^(−age/h)) reaches `level` of the total.
    func exact(_ values: [Double], level: Double, halfLife: Double) -> Double {
        let weighted = values.enumerated().map { ($0.element, pow(2, -Double(values.count - 1 - $0.offset) / halfLife)) }.sorted { $0.0 < $1.0 }
        let total = weighted.reduce(0) { $0 + $1.1 }
        var cumulative = 0.0
        for (value, weight) in weighted {
            cumulative += weight
            if cumulative >= level * total { return value }
        }
        return weighted.last!.0
    }

    @Test("quantiles of every prefix agree with the definition to within the 1 % buckets, never below it nor above the prefix's maximum",
          arguments: [0.5, 0.9, 0.99, 0.999])
    func againstDefinition(level: Double) {
        var random = SplitMix64(seed: 42)
        let values = (0..<3_000).map { _ in 50 + 1_000 * random.nextUnit() * random.nextUnit() }
        let cuts = [300, 1_000, 2_999, 3_000]
        let read = RecencyWeightedQuantiles(halfLifeSteps: 288, floor: 0.5).quantiles(of: values, level: level, at: cuts)
        for (cut, value) in zip(cuts, read) {
            let truth = exact(Array(values[..<cut]), level: level, halfLife: 288)
            #expect(value >= truth * 0.999_999 && value <= truth * 1.010_001, "cut \(cut): \(value) against \(truth)")
            #expect(value <= values[..<cut].max()!)
        }
    }

    @Test("recent values weigh more: after a step from 100 to 200, the median follows the new level")
    func recency() {
        let values = Array(repeating: 100.0, count: 2_000) + Array(repeating: 200.0, count: 1_000)
        let weighted = RecencyWeightedQuantiles(halfLifeSteps: 288, floor: 0.5).quantile(of: values, level: 0.5)
        #expect(abs(weighted - 200) <= 2)
        // Without recency (a half-life far beyond the series) two thirds sit at 100.
        #expect(abs(RecencyWeightedQuantiles(halfLifeSteps: 1e9, floor: 0.5).quantile(of: values, level: 0.5) - 100) <= 1)
    }

    @Test("non-finite values are skipped; an empty or all-gap series reads 0")
    func hostile() {
        let quantiles = RecencyWeightedQuantiles(halfLifeSteps: 10, floor: 1)
        #expect(quantiles.quantile(of: [.nan, 5, .infinity, 5], level: 0.9) == 5)
        #expect(quantiles.quantile(of: [], level: 0.9) == 0)
        #expect(quantiles.quantile(of: [.nan], level: 0.9) == 0)
    }
}

@Suite struct HorizonQuantileTests {
    @Test("on a stationary series the backtests find no drift (ratio near 1) and the margin sets the level: weighted × (1 + 10 % × √(1 % ÷ risk))")
    func stationary() throws {
        var random = SplitMix64(seed: 7)
        let values = (0..<4_032).map { _ in 1_000 * random.nextUnit() }
        let estimate = HorizonQuantile.estimate(values, risk: 0.04, settings: .init(), floor: 0.5)
        #expect(abs(estimate.weighted - 960) < 25)
        #expect(abs(estimate.margin - 0.05) < 1e-12)
        let ratio = try #require(estimate.backtestRatio)
        #expect(abs(ratio - 1) < 0.05)
        // Origins every day from day 1 to 12 (each followed by a two-day horizon inside the 14 days).
        #expect(estimate.origins == 12)
        #expect(abs(estimate.value - estimate.weighted * 1.05) < 1e-9)
    }

    @Test("a container that kept outgrowing its history: the backtests' ratio replaces the margin")
    func growing() throws {
        // +1 % a day on a noisy level: every horizon realises more than the history before it.
        var random = SplitMix64(seed: 9)
        let values = (0..<4_032).map { index in (100 + Double(index) * 0.5) * (0.9 + 0.2 * random.nextUnit()) }
        let estimate = HorizonQuantile.estimate(values, risk: 0.01, settings: .init(), floor: 0.5)
        let ratio = try #require(estimate.backtestRatio)
        #expect(ratio > 1 + estimate.margin)
        #expect(abs(estimate.value - estimate.weighted * ratio) < 1e-9)
    }

    @Test("under one day plus the horizon there is no origin: the margin alone")
    func short() {
        let estimate = HorizonQuantile.estimate(Array(repeating: 100, count: 600), risk: 0.01, settings: .init(), floor: 0.5)
        #expect(estimate.backtestRatio == nil && estimate.origins == 0)
        #expect(abs(estimate.value - 110) < 1.01)
    }
}

@Suite struct RiskSizerTests {
    let container = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")

    /// `days` of a daily wave with multiplicative noise, per pod millicores.
    func usage(days: Int, seed: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed)
        return (0..<(days * 288)).map { index in
            (400 + 200 * sin(2 * Double.pi * Double(index) / 288)) * exp(0.25 * random.nextGaussian())
        }
    }

    func input(cpu: [Double], memory: Double = 300 * 1_048_576, current: InventoryRecord? = nil) -> SizingInput {
        SizingInput(container: container, cpu: cpu, memoryPeaks: Array(repeating: memory, count: cpu.count), current: current, oomKillBytes: [])
    }

    @Test("a narrower risk asks for more CPU, and on the same process two days later each target holds: realised overrun at most the target")
    func risksOrdered() throws {
        let history = usage(days: 16, seed: 3)
        let training = Array(history.prefix(14 * 288)), coming = history.suffix(2 * 288)
        var requests: [Double] = []
        for risk in [0.05, 0.01, 0.003] {
            var policy = SizingPolicy()
            policy.cpuRisk = risk
            let recommendation = RiskSizer.recommend(input(cpu: training), policy: policy)
            let cpu = Double(try #require(recommendation.requests.cpu).millicores)
            let overrun = Double(coming.filter { $0 > cpu }.count) / Double(coming.count)
            #expect(overrun <= risk, "risk \(risk): \(cpu)m exceeded in \(overrun)")
            #expect(recommendation.cpuModel == RiskSizer.model)
            #expect(recommendation.evidence.cpu.horizon?.risk == risk)
            requests.append(cpu)
        }
        #expect(requests[0] < requests[1] && requests[1] < requests[2], "\(requests)")
    }

    @Test("memory never goes below the highest working set plus 15 %, whatever the risk")
    func memoryFloor() throws {
        var policy = SizingPolicy()
        policy.memoryRisk = 0.5
        let recommendation = RiskSizer.recommend(input(cpu: usage(days: 7, seed: 1), memory: 400 * 1_048_576), policy: policy)
        #expect(recommendation.requests.memory == MemoryQuantity(bytes: 460 << 20))
        #expect(recommendation.limits.memory == recommendation.requests.memory)
    }

    @Test("a request is capped at the largest node it could run on, and says so")
    func largestNode() throws {
        var policy = SizingPolicy()
        policy.largestNode = .init(allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: MemoryQuantity(bytes: 256 << 20)),
                                   source: "pool small: t3.small")
        let recommendation = RiskSizer.recommend(input(cpu: usage(days: 7, seed: 2)), policy: policy)
        #expect(recommendation.requests.cpu == CPUQuantity(millicores: 500))
        #expect(recommendation.requests.memory == MemoryQuantity(bytes: 256 << 20))
        #expect(recommendation.notes.contains { $0.hasPrefix("CPU capped at 500m, the allocatable CPU of the largest node it could run on (pool small: t3.small)") })
        #expect(recommendation.notes.contains { $0.hasPrefix("memory capped at 256Mi") && $0.hasSuffix("expect OOM kills") })
    }

    @Test("a forecast extrapolating a trend is held at the stated multiple of the highest usage seen, with a note")
    func observedMultiple() throws {
        // A week-long ramp from 100m to 1000m: the forecast strategy's week-ahead peak lies far above 1000m.
        let ramp = (0..<(7 * 288)).map { 100 + 900 * Double($0) / Double(7 * 288 - 1) }
        var policy = SizingPolicy()
        policy.maximumObservedMultiple = 1.1
        let recommendation = RightSizer.recommend(input(cpu: ramp), policy: policy)
        #expect(recommendation.requests.cpu == CPUQuantity(millicores: 1_100))
        #expect(recommendation.notes.contains { $0.hasPrefix("CPU held at 1.1× the highest usage seen (1): the figure of ") })
    }

    @Test("the next hour's bands repeat the day: the first hour of the next day, p90 above p50")
    func nextHour() throws {
        let days = (0..<(8 * 288)).map { 100 + 50 * sin(2 * Double.pi * Double($0) / 288) }
        let evidence = RiskSizer.recommend(input(cpu: days)).evidence
        let cpu = try #require(evidence.cpu.nextHour)
        #expect(abs(cpu.p50 - (100 + 50 * sin(2 * Double.pi * 11 / 288))) < 0.5)
        #expect(cpu.p90 >= cpu.p50)
    }
}

@Suite struct RiskOverrideTests {
    @Test("cpu-risk and memory-risk take a percentage or a share in (0, 50 %]", arguments: [("1%", 0.01), ("0.5 %", 0.005), ("0.02", 0.02), ("50%", 0.5)])
    func accepted(text: String, share: Double) throws {
        var override = SizingOverride()
        try override.set("cpu-risk", text)
        try override.set("memory-risk", text)
        #expect(override.cpuRisk == share && override.memoryRisk == share)
    }

    @Test("a risk of 0, above 50 % or not a number names the key and the text", arguments: ["0", "0%", "60%", "abc", "nan", "-1%"])
    func rejected(text: String) {
        var override = SizingOverride()
        #expect(throws: SizingOverride.Invalid.self) { try override.set("cpu-risk", text) }
        do { try override.set("cpu-risk", text) } catch { #expect(error.description.hasPrefix("cpu-risk: \"\(text)\"")) }
    }

    @Test("the headroom.io/cpu-risk annotation sets the container's target over the base policy")
    func annotation() throws {
        var base = SizingPolicy()
        base.cpuRisk = 0.05
        let id = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")
        let policy = try SizingOverrides().policy(for: id, annotations: ["headroom.io/cpu-risk": "1%"], base: base)
        #expect(policy.cpuRisk == 0.01)
        #expect(try SizingOverrides().policy(for: id, annotations: [:], base: base).cpuRisk == 0.05)
    }
}
