import Benchmark
import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomHistoryPostgres

/// Bulk ingest into the shared PostgreSQL store, beside the SQLite ones above: the same 400,000
/// buckets (200 containers × 2 resources × 1,000), by COPY into staging and one merging upsert.
/// Runs when `scripts/with-postgres` started a server (`make bench` does, with fsync on:
/// HEADROOM_POSTGRES_DURABLE=1); each iteration writes a cluster of its own, so the tables grow
/// as a fleet store's do.
func postgresIngestBenchmarks(rowsPerSecond: BenchmarkMetric) {
    copyEncodingBenchmark(rowsPerSecond: rowsPerSecond)
    let environment = ProcessInfo.processInfo.environment
    guard let url = environment["HEADROOM_TEST_POSTGRES_URL"], let passwordFile = environment["HEADROOM_TEST_POSTGRES_PASSWORD_FILE"] else {
        return
    }

    Benchmark("PostgreSQL: ingest 400k usage buckets of new containers (COPY)",
              configuration: .init(metrics: [.wallClock, rowsPerSecond])) { benchmark in
        let store = try await PostgresHistoryStore.open(try PostgresLocation(url: url, passwordFile: passwordFile))
        defer { store.close() }
        let batch = syntheticBatch(containers: 200, buckets: 1000)
        let run = UUID().uuidString.prefix(8)
        for iteration in benchmark.scaledIterations {
            let fresh = relabel(batch, cluster: "bench-\(run)-\(iteration)")
            try await measurePostgresIngest(fresh, into: store, benchmark, rowsPerSecond)
        }
    }

    Benchmark("PostgreSQL: re-ingest 400k overlapping buckets (merging upsert)",
              configuration: .init(metrics: [.wallClock, rowsPerSecond])) { benchmark in
        let store = try await PostgresHistoryStore.open(try PostgresLocation(url: url, passwordFile: passwordFile))
        defer { store.close() }
        let batch = relabel(syntheticBatch(containers: 200, buckets: 1000), cluster: "bench-upsert-\(UUID().uuidString.prefix(8))")
        _ = try await store.ingest([batch], progress: nil)
        for _ in benchmark.scaledIterations {
            try await measurePostgresIngest(batch, into: store, benchmark, rowsPerSecond)
        }
    }
}

/// The batch with every container moved to `cluster`.
func relabel(_ batch: CollectedBatch, cluster: String) -> CollectedBatch {
    var copy = batch
    copy.usage = batch.usage.map { bucket in
        var moved = bucket
        moved.container = ContainerID(cluster: cluster, namespace: bucket.container.workload.namespace, kind: bucket.container.workload.kind,
                                      workload: bucket.container.workload.name, container: bucket.container.container)
        return moved
    }
    return copy
}

/// Times one ingest of `batch` and records its rate in thousands of rows per second.
func measurePostgresIngest(_ batch: CollectedBatch, into store: PostgresHistoryStore, _ benchmark: Benchmark, _ metric: BenchmarkMetric) async throws {
    let started = ContinuousClock.now
    benchmark.startMeasurement()
    let summary = try await store.ingest([batch], progress: nil)
    benchmark.stopMeasurement()
    guard summary.usageRows == batch.usage.count else {
        throw HistoryError("PostgreSQL ingest benchmark: stored \(summary.usageRows) of \(batch.usage.count) buckets")
    }
    benchmark.measurement(metric, Int(Double(batch.usage.count) / seconds(since: started) / 1000))
}

/// The client's share of a PostgreSQL ingest: 400,000 buckets written as COPY text.
func copyEncodingBenchmark(rowsPerSecond: BenchmarkMetric) {
    Benchmark("COPY text encoding of 400k usage buckets (client side of the PostgreSQL ingest)",
              configuration: .init(metrics: [.wallClock, rowsPerSecond])) { benchmark in
        let batch = syntheticBatch(containers: 200, buckets: 1000)
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            var encoder = CopyTextEncoder(capacity: 1 << 20)
            var bytes = 0
            for (index, bucket) in batch.usage.enumerated() {
                encoder.addUsage(containerID: Int64(index / 2000), resource: Int64(bucket.resource.code), bucket.stats)
                encoder.endRow()
                if encoder.buffer.readableBytes >= 1 << 20 { bytes += encoder.take().readableBytes }
            }
            bytes += encoder.take().readableBytes
            blackHole(bytes)
            benchmark.measurement(rowsPerSecond, Int(Double(batch.usage.count) / seconds(since: started) / 1000))
        }
    }
}
