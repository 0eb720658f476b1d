import Foundation
import HeadroomCore
import HeadroomRecommend
import HeadroomTesting
import Testing

@Suite struct RightSizerTests {
    let container = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")

    func wave(days: Int, base: Double, amplitude: Double) -> [Double] {
        (0..<(days * 288)).map { base + amplitude * sin(2 * Double.pi * Double($0) / 288) }
    }

    @Test("requests cover the forecast peak plus 15 %, rounded up; memory limit equals the request")
    func steady() {
        let input = SizingInput(container: container, cpu: wave(days: 7, base: 100, amplitude: 50),
                                memoryPeaks: Array(repeating: 200 * 1_048_576, count: 7 * 288), current: nil, oomKillBytes: [])
        let recommendation = RightSizer.recommend(input)
        // Peak 150m × 1.15 = 172.5m → 175m (5m steps); memory 200Mi × 1.15 = 230Mi.
        #expect(recommendation.requests.cpu == CPUQuantity(millicores: 175))
        #expect(recommendation.requests.memory == MemoryQuantity(bytes: 230 << 20))
        #expect(recommendation.limits.memory == recommendation.requests.memory)
        #expect(recommendation.limits.cpu == nil)
    }

    @Test("the next hour's p50 and p90 peaks follow a repeating day: the first hour of the next day, p90 above p50")
    func nextHour() throws {
        // Seven identical days ending at midnight: the next hour is the first hour of a day,
        // whose 5-minute means rise from 100m to 100m + 50m·sin(2π·11/288) ≈ 111.8m.
        let input = SizingInput(container: container, cpu: wave(days: 7, base: 100, amplitude: 50),
                                memoryPeaks: (0..<(7 * 288)).map { 100e6 + 1e6 * Double($0 % 288) }, current: nil, oomKillBytes: [])
        let evidence = RightSizer.recommend(input).evidence
        let cpu = try #require(evidence.cpu.nextHour)
        #expect(abs(cpu.p50 - (100 + 50 * sin(2 * Double.pi * 11 / 288))) < 1)
        #expect(cpu.p90 >= cpu.p50)
        let memory = try #require(evidence.memory.nextHour)
        // The working set climbs 1 MB a step through the day: the next hour peaks near 111 MB, far under the day's 387 MB.
        #expect(abs(memory.p50 - 111e6) < 2e6)
        #expect(memory.p90 >= memory.p50)
    }

    @Test("an OOM-killed container gets at least the kill plus the bump, and is flagged")
    func oom() {
        let input = SizingInput(container: container, cpu: wave(days: 3, base: 50, amplitude: 10),
                                memoryPeaks: Array(repeating: 300 * 1_048_576, count: 3 * 288), current: nil, oomKillBytes: [512 * 1_048_576])
        let recommendation = RightSizer.recommend(input)
        // max(512Mi × 1.2 = 614.4Mi, 512Mi + 100Mi = 612Mi) → 615Mi after rounding up to whole MiB.
        #expect(recommendation.requests.memory == MemoryQuantity(bytes: 615 << 20))
        #expect(recommendation.notes.contains { $0.hasPrefix("OOM-killed 1×") })
    }

    @Test("a CPU request under a CPU HPA is left alone, and an idle container is named")
    func hpaAndIdle() {
        let current = InventoryRecord(container: container, observedAt: 0, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500)),
                                      hpa: HPASpec(minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercent: 70))
        let idle = SizingInput(container: container, cpu: Array(repeating: 1, count: 7 * 288),
                               memoryPeaks: Array(repeating: 50 * 1_048_576, count: 7 * 288), current: current, oomKillBytes: [])
        let recommendation = RightSizer.recommend(idle)
        #expect(recommendation.requests.cpu == CPUQuantity(millicores: 500))
        #expect(recommendation.notes.contains { $0.hasPrefix("HPA scales on CPU") })
        #expect(recommendation.notes.contains { $0.hasPrefix("idle") })
    }

    @Test("replay counts pressure minutes, OOM buckets and slack")
    func replay() {
        let risk = RiskReplay.replay(cpuMean: [100, 100, nil], cpuMax: [150, 250, nil], memoryMean: [100, 100], memoryMax: [100, 200],
                                     requests: ResourceAmounts(cpu: CPUQuantity(millicores: 200), memory: MemoryQuantity(bytes: 300)),
                                     limits: ResourceAmounts(memory: MemoryQuantity(bytes: 200)))
        #expect(risk.cpuPressureMinutes == 5)   // one bucket above the 200m request (no CPU limit)
        #expect(risk.oomBuckets == 1)           // memory reached the 200-byte limit once
        #expect(risk.cpuSlackMillicores == 100 && risk.memorySlackBytes == 200)
    }
}
