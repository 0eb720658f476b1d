import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

/// Builds batches of usage from plain (time, value) samples, the way importers do.
func usageBatch(_ container: ContainerID, _ samples: [(Double, Double)], resource: ResourceKind = .cpu, source: String = "test") throws -> CollectedBatch {
    let stats = try BucketAggregator.aggregate(samples.map { Sample(time: $0.0, value: $0.1) })
    return CollectedBatch(source: source, usage: stats.map { UsageBucket(container: container, resource: resource, stats: $0) },
                          rawSampleCount: samples.count, watermark: samples.map { Int64($0.0) }.max())
}

/// What only the SQLite file has (WAL, integrity, digests). The rules both backends share run on
/// both in HistoryBackendTests.
@Suite struct HistoryStoreTests {
    let api = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")
    let db = ContainerID(namespace: "prod", kind: .statefulSet, workload: "db", container: "pg")

    func withStore(_ body: (HistoryStore, TemporaryDirectory) throws -> Void) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try body(try HistoryStore(path: directory.file("h.sqlite")), directory)
    }

    @Test("a new store is in WAL mode and passes the integrity check")
    func walMode() throws {
        try withStore { store, _ throws in
            #expect(try store.journalMode() == "wal")
            #expect(try store.integrityCheck() == "ok")
        }
    }

    @Test("a store in a missing directory fails with the path in the message")
    func missingDirectory() {
        #expect {
            _ = try HistoryStore(path: "/nonexistent-dir-\(UUID().uuidString)/h.sqlite")
        } throws: { error in
            (error as? HistoryError)?.message.contains("does not exist") == true
        }
    }

    @Test("storing the same batch twice leaves identical content")
    func idempotent() throws {
        try withStore { store, _ throws in
            let batch = try usageBatch(api, (0..<100).map { (Double($0 * 60), Double($0 % 7)) })
            try store.ingest(batch)
            let first = try store.contentDigests()
            try store.ingest(batch)
            #expect(try store.contentDigests() == first)
            #expect(first.first { $0.table == "usage_5m" }?.rows == 20)
        }
    }

    @Test("buckets handed over as per-container runs are stored exactly as the same buckets one by one")
    func runsStoreAsBuckets() throws {
        let cpu = try usageBatch(api, (0..<100).map { (Double($0 * 60), Double($0 % 7)) })
        let memory = try usageBatch(db, (0..<50).map { (Double($0 * 60), 1e9 + Double($0)) }, resource: .memory)
        var wide = cpu
        wide.usage += memory.usage
        var runs = CollectedBatch(source: "test", rawSampleCount: wide.rawSampleCount, watermark: wide.watermark)
        runs.usageRuns = [UsageRun(container: api, resource: .cpu, stats: cpu.usage.map(\.stats)),
                          UsageRun(container: db, resource: .memory, stats: memory.usage.map(\.stats))]
        let unrolled = runs.usageRuns.flatMap { run in run.stats.map { UsageBucket(container: run.container, resource: run.resource, stats: $0) } }
        #expect(runs.usageBucketCount == 30 && unrolled == wide.usage)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let one = try HistoryStore(path: directory.file("wide.sqlite"))
        let other = try HistoryStore(path: directory.file("runs.sqlite"))
        #expect(try one.ingest(wide).usageRows == 30)
        #expect(try other.ingest(runs).usageRows == 30)
        #expect(try other.contentDigests() == one.contentDigests())
    }

    @Test("a batch that fails midway stores nothing")
    func failedBatchRollsBack() throws {
        try withStore { store, _ throws in
            try store.ingest(try usageBatch(db, [(0, 1), (300, 2)]))
            let before = try store.contentDigests()
            var batch = try usageBatch(api, (0..<5000).map { (Double($0 * 300), 1) })
            // NaN cannot be stored (SQLite binds it as NULL, a NOT NULL column): the 4001st row fails.
            batch.usage[4000].stats.mean = .nan
            #expect(throws: HistoryError.self) { try store.ingest(batch) }
            #expect(try store.contentDigests() == before)
        }
    }

    @Test("inventory answers the latest declared state as of a time")
    func inventory() throws {
        try withStore { store, _ throws in
            let early = InventoryRecord(container: api, observedAt: 100, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500)), replicas: 2)
            var late = early
            late.observedAt = 900
            late.replicas = 4
            late.hpa = HPASpec(minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercent: 70)
            late.annotations = ["headroom.io/margin": "0.3"]
            try store.ingest(CollectedBatch(source: "t", inventory: [early, late]))
            #expect(try store.latestInventory() == [late])
            #expect(try store.latestInventory(asOf: 500) == [early])
            #expect(try store.latestInventory(asOf: 50).isEmpty)
            // Replicas per 300-s step: unknown before the first record, 2 from 100, 4 from 900.
            #expect(try store.replicaSeries(api, from: 0, to: 1500) == [nil, 2, 2, 4, 4])
            #expect(try store.replicaSeries(api, from: 600, to: 1200) == [2, 4])
        }
    }

}

@Suite struct RetentionTests {
    let api = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")
    let day: Int64 = 86_400

    @Test("buckets older than the window roll up to hourly with sample-weighted means")
    func rollup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        // Hour 0: twelve buckets, one sample each of 0…11, plus a second sample of 100 in the
        // first bucket. Weighted mean = (66 + 100) / 13.
        var samples = (0..<12).map { (Double($0 * 300), Double($0)) }
        samples.append((10, 100))
        samples.append((Double(40 * day), 5))
        try store.ingest(try usageBatch(api, samples))
        let summary = try store.applyRetention(now: 40 * day + 3600, policy: RetentionPolicy(fiveMinuteRetentionSeconds: 35 * day))
        #expect(summary.fiveMinuteRowsRolledUp == 12)
        #expect(summary.horizon == 5 * day + 3600)  // now − 35 days, on an hour
        let hourly = try store.buckets(api, resource: .cpu, from: 0, to: 3600, resolution: .hourly)
        #expect(hourly.count == 1 && hourly[0].count == 13 && hourly[0].max == 100)
        #expect(approximately(hourly[0].mean, 166.0 / 13, tolerance: 1e-9, because: "sum of 13 small values in floating point"))
        #expect(try store.buckets(api, resource: .cpu, from: 0, to: 3600).isEmpty)
        #expect(try store.buckets(api, resource: .cpu, from: 40 * day, to: 41 * day).count == 1)

        // Running again changes nothing; re-importing the old data cannot count it twice.
        let digests = try store.contentDigests()
        try store.applyRetention(now: 40 * day + 3600, policy: RetentionPolicy(fiveMinuteRetentionSeconds: 35 * day))
        #expect(try store.contentDigests() == digests)
        let again = try store.ingest(try usageBatch(api, samples))
        #expect(again.skippedBeforeHorizon == 12)
        try store.applyRetention(now: 40 * day + 3600, policy: RetentionPolicy(fiveMinuteRetentionSeconds: 35 * day))
        #expect(try store.buckets(api, resource: .cpu, from: 0, to: 3600, resolution: .hourly).first?.count == 13)
    }

    @Test("the default keeps 35 days at 5 minutes")
    func defaultPolicy() {
        #expect(RetentionPolicy().fiveMinuteRetentionSeconds == 35 * day)
    }
}
