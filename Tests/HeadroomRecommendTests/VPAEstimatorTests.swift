import HeadroomRecommend
import HeadroomTesting
import Testing

/// The VPA building blocks against the rules of the upstream recommender, with values worked
/// out from those rules (the conformance cases themselves are checked by `make eval`).
@Suite struct VPAEstimatorTests {
    @Test("production histograms have 176 buckets; 1 core and 1e9 bytes fall in bucket 36")
    func productionBuckets() {
        #expect(HistogramOptions.productionCPU.numBuckets == 176)
        #expect(HistogramOptions.productionMemory.numBuckets == 176)
        #expect(HistogramOptions.productionCPU.findBucket(1.0) == 36)
        #expect(HistogramOptions.productionMemory.findBucket(1e9) == 36)
        #expect(HistogramOptions.productionCPU.findBucket(-3) == 0)
        #expect(HistogramOptions.productionCPU.findBucket(1e6) == 175)
    }

    @Test("exponential bucket n starts at first·(rⁿ − 1)/(r − 1)")
    func exponentialStarts() {
        let options = HistogramOptions(maxValue: 500, scheme: .exponential(firstBucketSize: 40, ratio: 1.5), epsilon: 1e-3)
        #expect(options.numBuckets == 6)  // ceil(log1.5(500·0.5/40 + 1)) + 1
        #expect((0..<6).map(options.bucketStart) == [0, 40, 100, 190, 325, 527.5])
    }

    @Test("a percentile is the end of the bucket where the running weight reaches it")
    func percentile() {
        var histogram = Histogram(options: HistogramOptions(maxValue: 10, scheme: .linear(bucketSize: 1), epsilon: 1e-3))
        #expect(histogram.isEmpty && histogram.percentile(0.5) == 0)
        for value in [1.5, 2.5, 3.5, 4.5] { histogram.add(value, weight: 1) }
        #expect(histogram.percentile(0.5) == 3)   // buckets 1 and 2 reach half the weight; bucket 2 ends at 3
        #expect(histogram.percentile(1.0) == 5)
        #expect(histogram.percentile(-1) == 2)    // end of the first non-empty bucket
        histogram.subtract(4.5, weight: 1)
        #expect(histogram.percentile(1.0) == 4)
    }

    @Test("margin, minimum, confidence and pod minimum truncate like upstream")
    func estimators() {
        #expect(VPAEstimators.withMargin(3140, fraction: 0.15) == 3140 + 471)
        #expect(VPAEstimators.withMinimum(100, minimum: 200) == 200)
        // One day of history sampled every minute: confidence 1 → upper bound ×2.
        let confidence = VPAEstimators.confidence(totalSamples: 1440, firstSample: 0, lastSample: 86_400, intervalSeconds: 86_400)
        #expect(confidence == 1)
        #expect(VPAEstimators.withConfidenceMultiplier(1000, multiplier: 1, exponent: 1, confidence: confidence) == 2000)
        #expect(VPAEstimators.withConfidenceMultiplier(1000, multiplier: 1, exponent: 1, confidence: 0) == VPAEstimators.maxResourceAmount)
        #expect(VPAEstimators.withConfidenceMultiplier(1000, multiplier: 0.001, exponent: -2, confidence: 0) == 0)
        let share = VPAEstimators.podMinimumShare(cpuMillicores: 25, memoryMiB: 250, containers: 2)
        #expect(share.cpu == 12 && share.memory == 131_072_000)
        #expect(VPAEstimators.cpuAmount(cores: 0.0099) == 9)
    }

    @Test("rounding up to a scale, and its error")
    func rounding() throws {
        #expect(try VPAEstimators.roundUp(101, toScale: 50) == 150)
        #expect(try VPAEstimators.roundUp(0, toScale: 50) == 0)
        #expect(throws: VPAError("scale must be greater than zero")) { try VPAEstimators.roundUp(5, toScale: 0) }
    }

    @Test("aggregates expire once their reference is interval × count old")
    func expiry() {
        #expect(!VPAEstimators.isExpired(now: 7 * 86_400, reference: 0, intervalSeconds: 86_400, intervalCount: 8))
        #expect(VPAEstimators.isExpired(now: 8 * 86_400, reference: 0, intervalSeconds: 86_400, intervalCount: 8))
    }
}
