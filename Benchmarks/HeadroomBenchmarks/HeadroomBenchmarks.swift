import Benchmark
import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomCost
import HeadroomForecast
import HeadroomHTTP
import HeadroomHistory
import HeadroomRecommend
import HeadroomDemo
import HeadroomTesting

/// `make bench`: batched ingest into SQLite (and PostgreSQL, PostgresIngestBenchmarks) and quantity parsing, on this machine's 2 cores.
/// Throughput figures are custom metrics in thousands per second (K/s), computed from the
/// measured time of the work itself (store creation and data generation are excluded).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 10
    )

    let rowsPerSecond = BenchmarkMetric.custom("stored rows K/s", polarity: .prefersLarger, useScalingFactor: false)
    let samplesPerSecond = BenchmarkMetric.custom("raw samples K/s", polarity: .prefersLarger, useScalingFactor: false)
    let parsesPerSecond = BenchmarkMetric.custom("quantities K/s", polarity: .prefersLarger, useScalingFactor: false)

    // 200 containers × 2 resources × 1000 buckets = 400,000 bucket rows in one batch.
    Benchmark("Ingest 400k usage buckets into a new store",
              configuration: .init(metrics: [.wallClock, rowsPerSecond])) { benchmark in
        let batch = syntheticBatch(containers: 200, buckets: 1000)
        for _ in benchmark.scaledIterations {
            let directory = try TemporaryDirectory(prefix: "headroom-bench")
            defer { directory.remove() }
            try measureIngest(batch, into: try HistoryStore(path: directory.file("bench.sqlite")), benchmark, rowsPerSecond)
        }
    }

    Benchmark("Re-ingest 400k overlapping buckets (upsert path)",
              configuration: .init(metrics: [.wallClock, rowsPerSecond])) { benchmark in
        let batch = syntheticBatch(containers: 200, buckets: 1000)
        let directory = try TemporaryDirectory(prefix: "headroom-bench")
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("bench.sqlite"))
        try store.ingest(batch)
        for _ in benchmark.scaledIterations {
            try measureIngest(batch, into: store, benchmark, rowsPerSecond)
        }
    }

    // The whole import path on 7 days of the demo cluster: CSV parse, bucket, store.
    Benchmark("Import 7 demo days from CSV (parse + bucket + store)",
              configuration: .init(metrics: [.wallClock, samplesPerSecond], maxIterations: 5)) { benchmark in
        var options = DemoClusterGenerator.Options()
        options.days = 7
        let csv = DemoCSVWriter.render(DemoClusterGenerator(options: options))
        for _ in benchmark.scaledIterations {
            let directory = try TemporaryDirectory(prefix: "headroom-bench")
            defer { directory.remove() }
            let store = try HistoryStore(path: directory.file("bench.sqlite"))
            let started = ContinuousClock.now
            benchmark.startMeasurement()
            let batch = try CSVUsageImporter().parse(csv, file: "demo.csv")
            try store.ingest(batch)
            benchmark.stopMeasurement()
            benchmark.measurement(samplesPerSecond, Int(Double(batch.rawSampleCount) / seconds(since: started) / 1000))
        }
    }

    // End-to-end collection from the local Prometheus that `make bench` starts (7 demo days):
    // samples per minute, the load it puts on Prometheus, and where the time goes.
    if let url = ProcessInfo.processInfo.environment["HEADROOM_PROMETHEUS_URL"],
       let range = ProcessInfo.processInfo.environment["HEADROOM_PROMETHEUS_RANGE"]?.split(separator: " ").compactMap({ Int64($0) }),
       range.count == 2 {
        let perMinute = BenchmarkMetric.custom("samples/min (M)", polarity: .prefersLarger, useScalingFactor: false)
        let queriesPer100 = BenchmarkMetric.custom("queries per 100 series", polarity: .prefersSmaller, useScalingFactor: false)
        let httpShare = BenchmarkMetric.custom("HTTP %", useScalingFactor: false)
        let jsonShare = BenchmarkMetric.custom("JSON decode %", useScalingFactor: false)
        let bucketShare = BenchmarkMetric.custom("parse+bucket %", useScalingFactor: false)
        let storeShare = BenchmarkMetric.custom("store %", useScalingFactor: false)
        Benchmark("Collect 7 demo days from a local Prometheus",
                  configuration: .init(metrics: [.wallClock, perMinute, queriesPer100, httpShare, jsonShare, bucketShare, storeShare],
                                       maxIterations: 5)) { benchmark in
            for _ in benchmark.scaledIterations {
                let directory = try TemporaryDirectory(prefix: "headroom-bench")
                defer { directory.remove() }
                let store = try HistoryStore(path: directory.file("bench.sqlite"))
                let api = PrometheusAPI(baseURL: url, client: CurlHTTPClient(), retry: RetryPolicy(seed: 1))
                let plan = CollectionPlan(start: range[0], end: range[1], chunkSeconds: CollectionPlan.chunkSeconds(scrapeIntervalSeconds: 15))
                let summary = try await PrometheusCollector(api: api).collect(plan, store: { try store.ingest($0) })
                benchmark.measurement(perMinute, Int(Double(summary.samples) / summary.seconds * 60 / 1_000_000))
                benchmark.measurement(queriesPer100, summary.queries * 100 / max(1, summary.series))
                let shares = summary.timings.shares
                benchmark.measurement(httpShare, Int(shares.http.rounded()))
                benchmark.measurement(jsonShare, Int(shares.decode.rounded()))
                benchmark.measurement(bucketShare, Int(shares.bucket.rounded()))
                benchmark.measurement(storeShare, Int(shares.store.rounded()))
            }
        }
    } else {
        print("HeadroomBenchmarks: HEADROOM_PROMETHEUS_URL not set; run 'make bench' for the collection benchmark")
    }

    // 1,000 series × 4,032 points (14 days at 5 minutes), 1-day horizon, on both cores; each
    // series is generated, forecast and dropped in turn (memory stays bounded).
    let seriesPerSecond = BenchmarkMetric.custom("series/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark("Forecast 1,000 series × 4,032 points (2 workers)",
              configuration: .init(metrics: [.wallClock, seriesPerSecond, .peakMemoryResident], maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            let total = 1000
            try await onTwoWorkers { try await withThrowingTaskGroup(of: Double.self) { group in
                for worker in 0..<2 {
                    group.addTask {
                        var checksum = 0.0
                        for index in stride(from: worker, to: total, by: 2) {
                            let history = syntheticSeries(index: index, count: 4032)
                            let result = AutoForecaster().forecast(history, horizon: 288, quantiles: [0.1, 0.5, 0.9])
                            checksum += result.point[0]
                        }
                        return checksum
                    }
                }
                var checksum = 0.0
                for try await part in group { checksum += part }
                blackHole(checksum)
            } }
            benchmark.measurement(seriesPerSecond, Int(Double(total) / seconds(since: started)))
        }
    }

    // Bin packing 10,000 pods (100 workload shapes) onto 3 pools, every catalog type tried per pool.
    Benchmark("Plan 3 pools for 10,000 pods (12 node types each)", configuration: .init(metrics: [.wallClock], maxIterations: 5)) { benchmark in
        var shapes: [PoolPlanner.PodSpec] = []
        for index in 0..<100 {
            let cpu = CPUQuantity(millicores: Int64(50 + (index * 37) % 900))
            let memoryMiB = Int64(64 + (index * 53) % 2000)
            let memory = MemoryQuantity(bytes: memoryMiB << 20)
            shapes.append(PoolPlanner.PodSpec(name: "w\(index)", requests: ResourceAmounts(cpu: cpu, memory: memory), count: 33))
        }
        for _ in benchmark.scaledIterations {
            for pool in 0..<3 {
                blackHole(try PoolPlanner.plan(Array(shapes[(pool * 33)..<(pool * 33 + 34)]), zones: 3, catalog: NodeCatalog.awsUSEast1))
            }
        }
    }

    // The vpa strategy over 10,000 containers × 14 days of 5-minute history, on both cores.
    let containersPerSecond = BenchmarkMetric.custom("containers/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark("VPA strategy for 10,000 containers × 4,032 buckets (2 workers)",
              configuration: .init(metrics: [.wallClock, containersPerSecond, .peakMemoryResident], maxIterations: 2)) { benchmark in
        let times = (0..<4032).map { Int64($0) * 300 }
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            blackHole(try await sumOnTwoWorkers(10_000) { index in
                let cpu = syntheticSeries(index: index, count: 4032).map { Optional($0 * 10) }
                let memory = syntheticSeries(index: index + 7, count: 4032).map { Optional(($0 + 100) * 2_000_000) }
                let bounds = VPARecommender.recommend(times: times, cpuMillicores: cpu, memoryPeaks: memory, oomTimes: [], memoryRequest: nil)
                return bounds.target.cpu?.millicores ?? 0
            })
            benchmark.measurement(containersPerSecond, Int(10_000 / seconds(since: started)))
        }
    }

    // The risk strategy (the default of `headroom advise`) over 10,000 containers × 14 days: the
    // horizon quantile of CPU and memory (recency-weighted, backtested daily at the two-day
    // horizon) and the next hour's profile bands per container, on both cores.
    sizingBenchmark("Risk strategy for 10,000 containers × 4,032 buckets (2 workers)", iterations: 2, metric: containersPerSecond) {
        RiskSizer.recommend($0)
    }
    // The forecast strategy (the default before the risk strategy) over 10,000 containers × 14
    // days: a week-ahead CPU and memory forecast per container, model chosen by backtest.
    sizingBenchmark("Forecast strategy for 10,000 containers × 4,032 buckets (2 workers)", iterations: 1, metric: containersPerSecond) {
        RightSizer.recommend($0)
    }

    // Daily cost allocation: 10,000 containers over 30 days (720 hours) in 3 pools, every hour
    // shared exactly (128-bit shares, idle as the remainder); input arrays built outside the timing.
    let allocationHours = 720
    let allocationPools = (0..<3).map { index in
        PoolHours(name: "pool\(index)", cpuMillicores: Array(repeating: 400_000, count: allocationHours),
                  memoryBytes: Array(repeating: 1_600 << 30, count: allocationHours), cpuHourly: Array(repeating: 12_000_000, count: allocationHours),
                  ramHourly: Array(repeating: 6_000_000, count: allocationHours), nodes: Array(repeating: 100, count: allocationHours))
    }
    let allocationContainers = (0..<10_000).map { index in
        let usage = syntheticSeries(index: index, count: allocationHours)
        return ContainerHours(container: ContainerID(namespace: "ns\(index % 40)", kind: .deployment, workload: "w\(index)", container: "app"),
                              pool: index % 3, cpuMillicores: usage.map { Int64(max($0, 0) * 10) + 100 },
                              memoryBytes: usage.map { Int64(max($0, 0) * 2_000_000) + (256 << 20) })
    }
    Benchmark("Allocate 30 days of costs to 10,000 containers in 3 pools",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Allocation.daily(start: 1_793_577_600, hours: allocationHours, pools: allocationPools, containers: allocationContainers, units: .openCostDefaults))
        }
    }

    Benchmark("Parse 100k quantities",
              configuration: .init(metrics: [.wallClock, parsesPerSecond])) { benchmark in
        let inputs = (0..<100_000).map { index -> String in
            ["250m", "0.5", "1500u", "512Mi", "1Gi", "129e6", "0.5Gi", "123Ki", "2", "1G"][index % 10]
        }
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            var total: Int64 = 0
            for input in inputs {
                total &+= try QuantityParser.parse(input, unitExponent: 0)
            }
            blackHole(total)
            benchmark.measurement(parsesPerSecond, Int(Double(inputs.count) / seconds(since: started) / 1000))
        }
    }

    postgresIngestBenchmarks(rowsPerSecond: rowsPerSecond)
    storeScaleBenchmarks()
    servingBenchmarks()
    cycleBenchmarks()
    reportBenchmarks()
}

/// Times one ingest of `batch` and records its rate in thousands of rows per second.
func measureIngest(_ batch: CollectedBatch, into store: HistoryStore, _ benchmark: Benchmark, _ metric: BenchmarkMetric) throws {
    let started = ContinuousClock.now
    benchmark.startMeasurement()
    try store.ingest(batch)
    benchmark.stopMeasurement()
    benchmark.measurement(metric, Int(Double(batch.usage.count) / seconds(since: started) / 1000))
}

/// A utilisation-like series: daily wave, weekly dip, drift and noise, different per index.
func syntheticSeries(index: Int, count: Int) -> [Double] {
    var random = SplitMix64(seed: UInt64(index))
    let amplitude = 5 + Double(index % 30)
    let drift = Double(index % 7 - 3) * 0.001
    return (0..<count).map { step in
        let day = sin(2 * Double.pi * Double(step) / 288)
        let weekend = (step / 288) % 7 >= 5 ? 0.6 : 1.0
        return max(0, (40 + amplitude * day) * weekend + drift * Double(step) + 3 * random.nextGaussian())
    }
}

/// A batch of `containers` × 2 resources × `buckets` consecutive 5-minute buckets.
func syntheticBatch(containers: Int, buckets: Int) -> CollectedBatch {
    var usage: [UsageBucket] = []
    usage.reserveCapacity(containers * buckets * 2)
    for index in 0..<containers {
        let container = ContainerID(namespace: "ns\(index % 10)", kind: .deployment, workload: "w\(index)", container: "app")
        for resource in ResourceKind.allCases {
            for bucket in 0..<buckets {
                let start = Int64(bucket * 300)
                // Fractional, as collected means are (a whole number would flatter the PostgreSQL text encoding).
                let mean = Double(bucket % 97) + Double(index + 1) / 7
                usage.append(UsageBucket(container: container, resource: resource, stats: BucketStats(
                    start: start, count: 5, mean: mean, max: mean + 3,
                    firstSampleMillis: start * 1000, lastSampleMillis: start * 1000 + 240_000)))
            }
        }
    }
    return CollectedBatch(source: "bench", usage: usage, rawSampleCount: usage.count * 5)
}

/// A sizing strategy over 10,000 synthetic containers × 14 days of CPU and memory on both cores,
/// data generation included.
func sizingBenchmark(_ name: String, iterations: Int, metric: BenchmarkMetric,
                     _ size: @escaping @Sendable (SizingInput) -> SizingRecommendation) {
    Benchmark(name, configuration: .init(metrics: [.wallClock, metric, .peakMemoryResident], maxIterations: iterations)) { benchmark in
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            blackHole(try await sumOnTwoWorkers(10_000) { index in
                let container = ContainerID(namespace: "bench", kind: .deployment, workload: "w\(index)", container: "app")
                let input = SizingInput(container: container, cpu: syntheticSeries(index: index, count: 4032).map { $0 * 10 },
                                        memoryPeaks: syntheticSeries(index: index + 7, count: 4032).map { ($0 + 100) * 2_000_000 },
                                        current: nil, oomKillBytes: [])
                return size(input).requests.cpu?.millicores ?? 0
            })
            benchmark.measurement(metric, Int(10_000 / seconds(since: started)))
        }
    }
}

/// Runs `body` for indices 0..<count on two workers (odd and even, on `BenchmarkWorkers`' two
/// threads), summing what it returns (a checksum that keeps the work from being optimized away).
func sumOnTwoWorkers(_ count: Int, _ body: @escaping @Sendable (Int) -> Int64) async throws -> Int64 {
    try await onTwoWorkers { try await withThrowingTaskGroup(of: Int64.self) { group in
        for worker in 0..<2 {
            group.addTask { stride(from: worker, to: count, by: 2).reduce(Int64(0)) { $0 &+ body($1) } }
        }
        var checksum: Int64 = 0
        for try await part in group { checksum &+= part }
        return checksum
    } }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = (ContinuousClock.now - start).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
}
