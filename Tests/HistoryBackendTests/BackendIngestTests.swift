import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

extension HistoryBackend {
    /// One batch, no progress reports.
    @discardableResult
    func ingest(one batch: CollectedBatch) async throws -> IngestSummary { try await ingest([batch], progress: nil) }
}

/// The store's ingest rules, on both backends.
@Suite struct BackendIngestTests {
    let api = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")
    let db = ContainerID(namespace: "prod", kind: .statefulSet, workload: "db", container: "pg")

    @Test("a new store has every migration applied, in order", arguments: StoreBackend.allCases)
    func migrations(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let applied = try await store.appliedMigrations()
            #expect(applied == HistoryStore.migrationIdentifiers)
            #expect(applied.count == 10 && applied.first == "v1-initial")
        }
    }

    @Test("stored buckets come back as a regular series with gaps", arguments: StoreBackend.allCases)
    func seriesWithGaps(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let summary = try await store.ingest(one: try usageBatch(api, [(0, 100), (60, 300), (600, 50), (900, 70)]))
            #expect(summary.usageRows == 3 && summary.newContainers == 1 && summary.rawSamples == 4)
            let series = try await store.series(api, resource: .cpu, statistic: .mean, from: 0, to: 1200, resolution: .fiveMinutes)
            #expect(series.start == 0 && series.step == 300)
            #expect(series.values == [200, nil, 50, 70])
            #expect(try await store.series(api, resource: .cpu, statistic: .max, from: 0, to: 1200, resolution: .fiveMinutes).values == [300, nil, 50, 70])
            #expect(try await store.series(db, resource: .cpu, statistic: .mean, from: 0, to: 600, resolution: .fiveMinutes).values == [nil, nil])
            #expect(try await store.containers(cluster: nil) == [api])
            #expect(try await store.usageTimeRange(cluster: nil) == 0...900)
            #expect(try await store.usageTimeRange(cluster: "elsewhere") == nil)
        }
    }

    @Test("storing the same batch twice leaves the same buckets and no new container", arguments: StoreBackend.allCases)
    func idempotent(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let batch = try usageBatch(api, (0..<100).map { (Double($0 * 60), Double($0 % 7)) })
            try await store.ingest(one: batch)
            let first = try await store.buckets(api, resource: .cpu, from: 0, to: 6000, resolution: .fiveMinutes)
            let again = try await store.ingest(one: batch)
            #expect(again.newContainers == 0 && again.usageRows == 20)
            #expect(try await store.buckets(api, resource: .cpu, from: 0, to: 6000, resolution: .fiveMinutes) == first)
            #expect(first.count == 20 && first.allSatisfy { $0.count == 5 })
        }
    }

    @Test("an overlapping superset replaces partial buckets; an older subset does not shrink them", arguments: StoreBackend.allCases)
    func overlappingWindows(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let all = (0..<20).map { (Double($0 * 30), Double($0)) }
            try await store.ingest(one: try usageBatch(api, Array(all[0..<7])))
            try await store.ingest(one: try usageBatch(api, all))
            try await store.ingest(one: try usageBatch(api, Array(all[0..<7])))
            let buckets = try await store.buckets(api, resource: .cpu, from: 0, to: 600, resolution: .fiveMinutes)
            #expect(buckets.map(\.count) == [10, 10])
            #expect(buckets[0].mean == 4.5 && buckets[1].max == 19)
        }
    }

    @Test("two imports holding disjoint halves of a bucket merge into the whole", arguments: StoreBackend.allCases)
    func disjointHalves(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let all = (0..<10).map { (Double($0 * 30), Double($0 * $0)) }
            try await store.ingest(one: try usageBatch(api, Array(all[5...])))
            try await store.ingest(one: try usageBatch(api, Array(all[..<5])))
            let bucket = try #require(try await store.buckets(api, resource: .cpu, from: 0, to: 300, resolution: .fiveMinutes).first)
            #expect(bucket.count == 10 && bucket.max == 81)
            #expect(approximately(bucket.mean, 28.5, tolerance: 1e-9, because: "a weighted mean of two exact halves"))
            #expect(bucket.firstSampleMillis == 0 && bucket.lastSampleMillis == 270_000)
        }
    }

    @Test("a bucket twice in one ingest merges in the batch's order, as two ingests would", arguments: StoreBackend.allCases)
    func duplicateInOneIngest(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let late = BucketStats(start: 0, count: 2, mean: 10, max: 12, firstSampleMillis: 150_000, lastSampleMillis: 270_000)
            let early = BucketStats(start: 0, count: 3, mean: 4, max: 5, firstSampleMillis: 0, lastSampleMillis: 120_000)
            let smaller = BucketStats(start: 0, count: 1, mean: 99, max: 99, firstSampleMillis: 60_000, lastSampleMillis: 60_000)
            // late, then early (disjoint: merged), then a 1-sample overlap (fewer samples: ignored).
            let batch = CollectedBatch(source: "t", usage: [late, early, smaller].map { UsageBucket(container: api, resource: .cpu, stats: $0) })
            let summary = try await store.ingest(one: batch)
            #expect(summary.usageRows == 3)
            let stored = try await store.buckets(api, resource: .cpu, from: 0, to: 300, resolution: .fiveMinutes)
            #expect(stored == [BucketStats(start: 0, count: 5, mean: (10.0 * 2 + 4 * 3) / 5, max: 12, firstSampleMillis: 0, lastSampleMillis: 270_000)])
        }
    }

    @Test("buckets handed over as per-container runs are stored as the same buckets one by one", arguments: StoreBackend.allCases)
    func runs(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let cpu = try usageBatch(api, (0..<100).map { (Double($0 * 60), Double($0 % 7)) })
            let memory = try usageBatch(db, (0..<50).map { (Double($0 * 60), 1e9 + Double($0)) }, resource: .memory)
            var batch = CollectedBatch(source: "runs", rawSampleCount: 150)
            batch.usageRuns = [UsageRun(container: api, resource: .cpu, stats: cpu.usage.map(\.stats)),
                               UsageRun(container: db, resource: .memory, stats: memory.usage.map(\.stats))]
            #expect(try await store.ingest(one: batch).usageRows == 30)
            #expect(try await store.buckets(api, resource: .cpu, from: 0, to: 6000, resolution: .fiveMinutes) == cpu.usage.map(\.stats))
            #expect(try await store.buckets(db, resource: .memory, from: 0, to: 6000, resolution: .fiveMinutes) == memory.usage.map(\.stats))
            #expect(try await store.containers(cluster: nil) == [api, db])
        }
    }

    @Test("a batch with a NaN bucket fails, names it, and stores nothing", arguments: StoreBackend.allCases)
    func failedBatchRollsBack(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.ingest(one: try usageBatch(db, [(0, 1), (300, 2)]))
            var batch = try usageBatch(api, (0..<5000).map { (Double($0 * 300), 1) })
            batch.usage[4000].stats.mean = .nan
            batch.watermark = 10_000_000
            await #expect(throws: HistoryError.self) { try await store.ingest(one: batch) }
            #expect(try await store.containers(cluster: nil) == [db])
            #expect(try await store.buckets(api, resource: .cpu, from: 0, to: 2_000_000, resolution: .fiveMinutes).isEmpty)
            #expect(try await store.watermark(source: "test") == 300)
        }
    }
}
