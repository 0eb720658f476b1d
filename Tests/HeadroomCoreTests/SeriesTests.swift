import HeadroomCore
import Foundation
import HeadroomTesting
import Testing

@Suite struct BucketAggregatorTests {
    @Test("samples reduce to mean and max per 5-minute bucket")
    func meanAndMax() throws {
        let samples = [Sample(time: 0, value: 1), Sample(time: 100, value: 3), Sample(time: 299, value: 5),
                       Sample(time: 300, value: 10), Sample(time: 900, value: 2)]
        let buckets = try BucketAggregator.aggregate(samples)
        #expect(buckets.map(\.start) == [0, 300, 900])
        #expect(buckets.map(\.count) == [3, 1, 1])
        #expect(buckets[0].mean == 3)
        #expect(buckets[0].max == 5)
        #expect(buckets[0].firstSampleMillis == 0 && buckets[0].lastSampleMillis == 299_000)
    }

    @Test("unsorted input gives the same buckets as sorted input")
    func unsorted() throws {
        var random = SplitMix64(seed: 3)
        let sorted = (0..<500).map { Sample(time: Double($0 * 37), value: random.nextUnit()) }
        var shuffled = sorted
        shuffled.shuffle(using: &random)
        #expect(try BucketAggregator.aggregate(shuffled) == BucketAggregator.aggregate(sorted))
    }

    @Test("an exact repeat is one sample; a conflicting repeat is an error at its time")
    func duplicates() throws {
        let repeated = try BucketAggregator.aggregate([Sample(time: 10, value: 2), Sample(time: 10, value: 2)])
        #expect(repeated.first?.count == 1)
        #expect(throws: SeriesError(reason: "two different values (2.0 and 3.0) for one timestamp", time: 10)) {
            try BucketAggregator.aggregate([Sample(time: 10, value: 2), Sample(time: 10, value: 3)])
        }
    }

    @Test("NaN and infinite values are rejected", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(value: Double) {
        #expect(throws: SeriesError.self) { try BucketAggregator.aggregate([Sample(time: 0, value: 1), Sample(time: 5, value: value)]) }
    }

    @Test("irregular samples become a regular series with explicit gaps")
    func regularSeries() throws {
        let samples = [Sample(time: 10, value: 2), Sample(time: 250, value: 4), Sample(time: 1250, value: 7)]
        let means = try BucketAggregator.series(samples, statistic: .mean, from: 0, to: 1500)
        #expect(means.values == [3, nil, nil, nil, 7])
        let maxima = try BucketAggregator.series(samples, statistic: .max, from: 0, to: 1500)
        #expect(maxima.values == [4, nil, nil, nil, 7])
    }

    @Test("merging two disjoint halves equals aggregating the whole")
    func mergeHalves() throws {
        let samples = (0..<10).map { Sample(time: Double($0 * 30), value: Double($0 * $0)) }
        let whole = try BucketAggregator.aggregate(samples)[0]
        let first = try BucketAggregator.aggregate(Array(samples[..<4]))[0]
        let second = try BucketAggregator.aggregate(Array(samples[4...]))[0]
        let merged = first.merged(with: second)
        #expect(merged.count == whole.count && merged.max == whole.max)
        #expect(merged.firstSampleMillis == whole.firstSampleMillis && merged.lastSampleMillis == whole.lastSampleMillis)
        #expect(approximately(merged.mean, whole.mean, tolerance: 1e-12, because: "two weighted sums of ten small integers"))
    }
}

@Suite struct RegularSeriesTests {
    @Test("gridding places buckets on the step and leaves gaps as nil")
    func gridded() {
        let series = RegularSeries.gridded(start: 610, end: 1800, step: 300,
                                           buckets: [(start: 600, value: 1), (start: 1200, value: 3), (start: 1800, value: 9)])
        #expect(series.start == 600)
        #expect(series.values == [1, nil, 3, nil])
        #expect(series.end == 1800)
        #expect(series.gapCount == 2)
        #expect(series.presentValues == [1, 3])
        #expect(series.time(at: 2) == 1200)
    }

    @Test("floor division rounds toward minus infinity")
    func floorDivision() {
        #expect(floorDiv(-1, 300) == -1)
        #expect(floorDiv(299, 300) == 0)
        #expect(floorDiv(-300, 300) == -1)
    }
}

@Suite struct CounterRateTests {
    @Test("a steady counter gives its slope")
    func steady() throws {
        let rates = try CounterRate.rates((0..<5).map { Sample(time: Double($0 * 15), value: Double($0) * 7.5) })
        #expect(rates.count == 4)
        #expect(rates.allSatisfy { $0.value == 0.5 })
        #expect(rates.first?.time == 15)
    }

    @Test("a reset counts the new value as the increase since the restart")
    func reset() throws {
        let rates = try CounterRate.rates([Sample(time: 0, value: 100), Sample(time: 10, value: 110), Sample(time: 20, value: 4)])
        #expect(rates.map(\.value) == [1, 0.4])
    }

    @Test("negative and NaN counters are errors")
    func invalid() {
        #expect(throws: SeriesError.self) { try CounterRate.rates([Sample(time: 0, value: -1), Sample(time: 1, value: 2)]) }
        #expect(throws: SeriesError.self) { try CounterRate.rates([Sample(time: 0, value: .nan), Sample(time: 1, value: 2)]) }
    }
}

@Suite struct DurationAndPercentileTests {
    @Test("durations in Prometheus notation", arguments: [("30s", 30), ("5m", 300), ("12h", 43_200), ("7d", 604_800),
                                                        ("2w", 1_209_600), ("1d12h", 129_600), ("1y", 31_536_000)] as [(String, Int64)])
    func durations(text: String, seconds: Int64) throws {
        #expect(try DurationParser.seconds(text) == seconds)
    }

    @Test("bad durations are rejected", arguments: ["", "7", "d", "7x", "-1d", "0d", "1.5h"])
    func badDurations(text: String) {
        #expect(throws: DurationParser.DurationError.self) { try DurationParser.seconds(text) }
    }

    @Test("percentiles interpolate between closest ranks (NumPy's default)")
    func percentiles() {
        #expect(Percentile.of([4, 1, 3, 2], 0.5) == 2.5)
        #expect(approximately(Percentile.of([1, 2, 3, 4], 0.95)!, 3.85, tolerance: 1e-12, because: "one interpolation step"))
        #expect(Percentile.of([5], 0.95) == 5)
        #expect(Percentile.of([], 0.5) == nil)
        #expect(Percentile.of([1, 2, 3], 0) == 1 && Percentile.of([1, 2, 3], 1) == 3)
    }

    @Test("SplitMix64 matches the reference implementation's output for seed 0")
    func splitMix() {
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}

@Suite struct UsageProfileTests {
    let container = ContainerID(namespace: "production", kind: .deployment, workload: "api", container: "api")

    func buckets(_ values: [Double]) -> [BucketStats] {
        values.enumerated().map { BucketStats(start: Int64($0.offset * 300), count: 1, mean: $0.element, max: $0.element + 1,
                                              firstSampleMillis: 0, lastSampleMillis: 0) }
    }

    @Test("a resource whose P95 is under half its request is flagged over-provisioned")
    func flags() {
        let inventory = InventoryRecord(container: container, observedAt: 0,
                                        requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: MemoryQuantity(bytes: 1000)), replicas: 3)
        let profile = UsageProfile.make(container: container, cpu: buckets((1...100).map(Double.init)),
                                        memory: buckets(Array(repeating: 900, count: 10)), inventory: inventory, oomKills: 2)
        #expect(profile.cpu?.p50 == 50.5)
        #expect(profile.cpu?.max == 101)
        #expect(profile.overProvisioned == [.cpu])
        #expect(profile.replicas == 3 && profile.oomKills == 2)
        #expect(profile.memory?.p95OfRequest == 0.9)
        #expect(!profile.idle)
    }

    @Test("a container whose CPU P95 is under 5 millicores is idle")
    func idle() {
        let quiet = UsageProfile.make(container: container, cpu: buckets(Array(repeating: 1, count: 50) + [40]), memory: [], inventory: nil, oomKills: 0)
        #expect(quiet.idle)
        let busy = UsageProfile.make(container: container, cpu: buckets(Array(repeating: 6, count: 50)), memory: [], inventory: nil, oomKills: 0)
        #expect(!busy.idle)
    }

    @Test("without a request nothing is flagged")
    func noRequest() {
        let profile = UsageProfile.make(container: container, cpu: buckets([1, 2]), memory: [], inventory: nil, oomKills: 0)
        #expect(profile.overProvisioned.isEmpty)
        #expect(profile.memory == nil)
    }
}
