import HeadroomCore
import HeadroomRecommend
import Testing

@Suite struct VPARecommenderTests {
    @Test("a steady 100m / 200Mi container: target = bucket end + 15 %, memory raised to the pod minimum")
    func steady() {
        let times = (0..<(8 * 288)).map { Int64($0) * 300 }
        let bounds = VPARecommender.recommend(times: times, cpuMillicores: times.map { _ in 100 }, memoryPeaks: times.map { _ in 209_715_200 },
                                              oomTimes: [], memoryRequest: nil)
        // 0.1 core lies in bucket 8, which ends at 0.01·(1.05⁹ − 1)/0.05 = 0.1102656 → 110m; +16m margin.
        #expect(bounds.target.cpu == CPUQuantity(millicores: 126))
        // 200Mi lies in bucket 14 (ends at 215,785,636 B; +15 % = 248,153,481 B), below 250 MiB.
        #expect(bounds.target.memory == MemoryQuantity(bytes: 262_144_000))
        // Eight days of history: the upper bound is wider than the target, the lower one narrower.
        #expect(bounds.upperBound.cpu! > bounds.target.cpu! && bounds.lowerBound.cpu! <= bounds.target.cpu!)
    }

    @Test("an OOM kill raises the memory peak to the used amount plus the bump")
    func oomBump() {
        let times = (0..<(2 * 288)).map { Int64($0) * 300 }
        let bounds = VPARecommender.recommend(times: times, cpuMillicores: times.map { _ in 50 }, memoryPeaks: times.map { _ in 419_430_400.0 },
                                              oomTimes: [86_400 + 600], memoryRequest: 512 << 20)
        // used = max(512Mi request, 400Mi peak); needed = max(512Mi + 100Mi, 614.4Mi) → above 600Mi.
        #expect(bounds.upperBound.memory!.bytes > 600 << 20)
        #expect(bounds.target.memory!.bytes > 600 << 20)
    }

    @Test("decaying histograms forget old samples")
    func decay() {
        var histogram = DecayingHistogram(options: HistogramOptions(maxValue: 10, scheme: .linear(bucketSize: 1), epsilon: 1e-15), halfLife: 3600)
        histogram.add(2, weight: 1000, time: 1_234_567_890)
        histogram.add(1, weight: 1, time: 1_234_567_890 + 20 * 3600)
        // After 20 half-lives the heavy sample weighs 1000/2²⁰ ≈ 0.001 of the new one.
        #expect(histogram.percentile(0.99) == 2)
        #expect(histogram.percentile(1.0) == 3)
    }
}
