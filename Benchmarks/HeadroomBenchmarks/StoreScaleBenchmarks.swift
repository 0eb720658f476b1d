import Benchmark
import Foundation
import HeadroomCore
import HeadroomEngine
import HeadroomHistory
import HeadroomHistoryPostgres
import HeadroomTesting

/// The stores at fleet scale, for docs/SCALING.md: HEADROOM_SCALE_CONTAINERS containers (default
/// 100,000, in ten clusters) × HEADROOM_SCALE_HOURS hours (default 6) of 5-minute CPU and memory
/// buckets, ingested in chunks of 10,000 containers (one transaction each, as a collector's
/// chunks are) into a new SQLite file and, when `scripts/with-postgres` started a server, into
/// PostgreSQL. Figures: rows, seconds, rows per second, bytes on disk and bytes per row, then one
/// container's day read back. Then the Engine advises every container of every cluster from that
/// store (the stored hours as history, the last half replayed, 2 workers; HEADROOM_SCALE_ENGINE=0
/// skips it). One line per store and figure goes to HEADROOM_SCALE_RESULTS (default
/// `.build-bench/store-scale.txt`).
func storeScaleBenchmarks() {
    let environment = ProcessInfo.processInfo.environment
    let containers = environment["HEADROOM_SCALE_CONTAINERS"].flatMap(Int.init) ?? 100_000
    let hours = environment["HEADROOM_SCALE_HOURS"].flatMap(Int.init) ?? 6
    let results = environment["HEADROOM_SCALE_RESULTS"] ?? ".build-bench/store-scale.txt"
    let milliseconds = BenchmarkMetric.custom("ms", polarity: .prefersSmaller, useScalingFactor: false)
    let buckets = hours * 12
    let chunk = 10_000

    /// Containers `[from, from + count)` × both resources × `buckets` buckets, as per-series runs.
    func batch(from: Int, count: Int, run: String) -> CollectedBatch {
        var batch = CollectedBatch(source: "scale-\(run)", rawSampleCount: count * buckets * 2 * 20)
        batch.usageRuns = (from..<from + count).flatMap { index -> [UsageRun] in
            let container = ContainerID(cluster: "fleet-\(run)-\(index % 10)", namespace: "ns\(index % 50)", kind: .deployment,
                                        workload: "w\(index)", container: "app")
            return ResourceKind.allCases.map { resource in
                UsageRun(container: container, resource: resource, stats: (0..<buckets).map { bucket in
                    let start = Int64(bucket * 300)
                    let mean = Double((index + bucket) % 997) + Double(index % 7 + 1) / 7
                    return BucketStats(start: start, count: 20, mean: mean, max: mean * 1.5, firstSampleMillis: start * 1000,
                                       lastSampleMillis: start * 1000 + 285_000)
                })
            }
        }
        batch.watermark = Int64(buckets * 300)
        return batch
    }

    let engineRuns = environment["HEADROOM_SCALE_ENGINE"] != "0"

    func append(_ line: String) throws {
        let previous = (try? String(contentsOfFile: results, encoding: .utf8)) ?? ""
        try (previous + line + "\n").write(toFile: results, atomically: true, encoding: .utf8)
    }

    func record(_ store: String, rows: Int, seconds: Double, bytes: Int64, readMs: Double) throws {
        try append("""
            store=\(store) containers=\(containers) hours=\(hours) rows=\(rows) seconds=\(String(format: "%.1f", seconds)) \
            rows_per_second=\(Int(Double(rows) / seconds)) bytes=\(bytes) bytes_per_row=\(String(format: "%.1f", Double(bytes) / Double(rows))) \
            read_one_container_ms=\(String(format: "%.2f", readMs))
            """)
    }

    /// `Engine.advise` over each of the ten clusters in turn: a whole fleet's advice from one store.
    func adviseFleet(_ store: any HistoryBackend, run: String, name: String) async throws {
        guard engineRuns else { return }
        var options = AdviceOptions()
        options.historySeconds = Int64(hours) * 3600
        options.replaySeconds = Int64(hours) * 1800
        options.jobs = 2
        var advised = 0
        let started = ContinuousClock.now
        for cluster in 0..<10 {
            let report = try await onTwoWorkers { try await Engine(store: store, cluster: "fleet-\(run)-\(cluster)").advise(options, catalog: CycleBenchCluster.catalog) }
            advised += report.containers.count
        }
        let seconds = HeadroomBenchmarks.seconds(since: started)
        try append("""
            engine store=\(name) containers=\(containers) hours=\(hours) advised=\(advised) seconds=\(String(format: "%.1f", seconds)) \
            ms_per_container=\(String(format: "%.2f", seconds * 1000 / Double(max(1, advised))))
            """)
    }

    Benchmark("Store scale: SQLite, \(containers) containers × \(hours) h",
              configuration: .init(metrics: [milliseconds], warmupIterations: 0, maxIterations: 1)) { benchmark in
        let directory = try TemporaryDirectory(prefix: "headroom-scale-bench")
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("scale.sqlite"))
        var seconds = 0.0
        for from in stride(from: 0, to: containers, by: chunk) {
            let work = batch(from: from, count: min(chunk, containers - from), run: "s")
            let started = ContinuousClock.now
            _ = try store.ingest(work)
            seconds += HeadroomBenchmarks.seconds(since: started)
        }
        let probe = ContainerID(cluster: "fleet-s-3", namespace: "ns3", kind: .deployment, workload: "w\(containers / 2 + 3)", container: "app")
        let read = ContinuousClock.now
        blackHole(try store.buckets(probe, resource: .cpu, from: 0, to: 86_400))
        let readMs = HeadroomBenchmarks.seconds(since: read) * 1000
        let bytes = ["", "-wal", "-shm"].reduce(Int64(0)) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: store.path + suffix)[.size] as? Int64) ?? 0)
        }
        benchmark.measurement(milliseconds, Int(seconds * 1000))
        try record("sqlite", rows: containers * buckets * 2, seconds: seconds, bytes: bytes, readMs: readMs)
        try await adviseFleet(store, run: "s", name: "sqlite")
    }

    guard let url = environment["HEADROOM_TEST_POSTGRES_URL"], let passwordFile = environment["HEADROOM_TEST_POSTGRES_PASSWORD_FILE"] else { return }
    Benchmark("Store scale: PostgreSQL, \(containers) containers × \(hours) h",
              configuration: .init(metrics: [milliseconds], warmupIterations: 0, maxIterations: 1)) { benchmark in
        let store = try await PostgresHistoryStore.open(try PostgresLocation(url: url, passwordFile: passwordFile))
        defer { store.close() }
        let before = try await store.tableBytes()
        let run = String(UUID().uuidString.prefix(6))
        var seconds = 0.0
        for from in stride(from: 0, to: containers, by: chunk) {
            let work = batch(from: from, count: min(chunk, containers - from), run: run)
            let started = ContinuousClock.now
            _ = try await store.ingest([work], progress: nil)
            seconds += HeadroomBenchmarks.seconds(since: started)
        }
        let probe = ContainerID(cluster: "fleet-\(run)-3", namespace: "ns3", kind: .deployment, workload: "w\(containers / 2 + 3)", container: "app")
        let read = ContinuousClock.now
        blackHole(try await store.buckets(probe, resource: .cpu, from: 0, to: 86_400, resolution: .fiveMinutes))
        let readMs = HeadroomBenchmarks.seconds(since: read) * 1000
        let after = try await store.tableBytes()
        let grown = ["usage_5m", "containers"].reduce(Int64(0)) { $0 + (after[$1] ?? 0) - (before[$1] ?? 0) }
        benchmark.measurement(milliseconds, Int(seconds * 1000))
        try record("postgres", rows: containers * buckets * 2, seconds: seconds, bytes: grown, readMs: readMs)
        try await adviseFleet(store, run: run, name: "postgres")
    }
}
