import HeadroomCore
import HeadroomHistory
import Logging
import PostgresNIO

extension PostgresHistoryStore {
    /// Stores batches in one transaction with the SQLite store's rules (`HistoryBackend.ingest`).
    ///
    /// Buckets that cannot meet a stored one (of a container this ingest creates, or later than
    /// the latest stored bucket of their container and resource) are COPied straight into
    /// `usage_5m`. The others travel by COPY into a temporary staging table and merge with one
    /// upsert per round; a bucket that appears twice in one ingest goes in a later round, so the
    /// merges happen in the batch's order, as the SQLite store applies them row by row. Should
    /// another writer store one of the straight buckets first (two collectors of one cluster),
    /// the ingest is rolled back and run again with every bucket merged.
    public func ingest(_ batches: [CollectedBatch], progress: ((IngestProgress) -> Void)? = nil) async throws(HistoryError) -> IngestSummary {
        let total = batches.reduce(0) { $0 + $1.usageBucketCount + $1.inventory.count + $1.events.count }
        let summary: IngestSummary
        do {
            summary = try await transaction("ingest") { connection in
                try await PostgresIngest(connection: connection, logger: self.logger, copyNewBucketsStraight: true).run(batches)
            }
        } catch let error where error.message.contains("SQLSTATE 23505") {
            summary = try await transaction("ingest") { connection in
                try await PostgresIngest(connection: connection, logger: self.logger, copyNewBucketsStraight: false).run(batches)
            }
        }
        if total > 0 { progress?(IngestProgress(rowsWritten: total, rowsTotal: total)) }
        return summary
    }
}

/// One ingest inside one transaction.
struct PostgresIngest {
    let connection: PostgresConnection
    let logger: Logger
    /// COPY buckets that cannot meet a stored one straight into `usage_5m` (skipping the staging table).
    let copyNewBucketsStraight: Bool

    func run(_ batches: [CollectedBatch]) async throws -> IngestSummary {
        var summary = IngestSummary()
        summary.rawSamples = batches.reduce(0) { $0 + $1.rawSampleCount }
        let horizon = try await connection.query("SELECT value FROM store_state WHERE key = 'rollup_horizon'", logger: logger)
            .decode(Int64.self).first { _ in true }

        let registry = try await PostgresContainerRegistry.resolve(Self.containers(of: batches), connection: connection, logger: logger)
        summary.newContainers = registry.created

        try await ensureStagingTables()
        let usage = try await storeUsage(batches, registry: registry, horizon: horizon)
        summary.usageRows = usage.written
        summary.skippedBeforeHorizon = usage.skipped
        summary.inventoryRows = try await storeInventory(batches.flatMap(\.inventory), registry: registry)
        summary.eventRows = try await storeEvents(batches.flatMap(\.events), registry: registry)
        for batch in batches {
            if let cluster = batch.cluster {
                let name = cluster.cluster ?? batch.inventory.first?.container.workload.cluster ?? ContainerID.defaultCluster
                try await PostgresClusterObjects(connection: connection, logger: logger).store(cluster, cluster: name)
            }
            if let watermark = batch.watermark {
                try await connection.query("""
                    INSERT INTO watermarks (source, watermark) VALUES (\(batch.source), \(watermark))
                    ON CONFLICT (source) DO UPDATE SET watermark = GREATEST(watermarks.watermark, excluded.watermark)
                    """, logger: logger)
            }
        }
        return summary
    }

    /// Every container the batches mention, in first-mention order.
    static func containers(of batches: [CollectedBatch]) -> [ContainerID] {
        var seen = Set<ContainerID>()
        var ordered: [ContainerID] = []
        func note(_ container: ContainerID) { if seen.insert(container).inserted { ordered.append(container) } }
        for batch in batches {
            var last: ContainerID?
            for bucket in batch.usage where bucket.container != last { note(bucket.container); last = bucket.container }
            for run in batch.usageRuns { note(run.container) }
            for record in batch.inventory { note(record.container) }
            for event in batch.events { note(event.container) }
        }
        return ordered
    }

    private func ensureStagingTables() async throws {
        // Session-local and emptied at every commit; created once per connection.
        for (stage, table) in [("stage_usage", "usage_5m"), ("stage_inventory", "inventory"), ("stage_events", "events")] {
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TEMP TABLE IF NOT EXISTS \(stage) (LIKE \(table)) ON COMMIT DELETE ROWS
                """), logger: logger)
        }
    }

    // MARK: Usage

    private struct UsageRow {
        let containerID: Int64
        let resource: Int64
        let stats: BucketStats
    }

    private func storeUsage(_ batches: [CollectedBatch], registry: PostgresContainerRegistry, horizon: Int64?) async throws -> (written: Int, skipped: Int) {
        let latest = copyNewBucketsStraight ? try await latestStoredBuckets(registry) : nil
        // Collected batches hold each series as one run of rising starts: then no bucket can
        // repeat, and the per-bucket bookkeeping of repeats is skipped.
        let repeatsPossible = !Self.eachSeriesOneRisingRun(batches)
        var straight: [UsageRow] = []
        var rounds: [[UsageRow]] = [[]]
        var seen: [BucketKey: Int] = [:]
        var skipped = 0
        var written = 0
        var lastContainer: (container: ContainerID, id: Int64)?
        func add(_ container: ContainerID, _ resource: ResourceKind, _ stats: BucketStats) throws {
            if let horizon, stats.start < horizon {
                skipped += 1
                return
            }
            // PostgreSQL would store NaN; the SQLite store cannot (NOT NULL): both refuse it.
            guard !stats.mean.isNaN, !stats.max.isNaN else {
                throw HistoryError("bucket of \(container) \(resource.rawValue) at \(stats.start): mean \(stats.mean), max \(stats.max): NaN cannot be stored")
            }
            let id: Int64
            if let lastContainer, lastContainer.container == container {
                id = lastContainer.id
            } else {
                id = registry[container]
                lastContainer = (container, id)
            }
            let row = UsageRow(containerID: id, resource: Int64(resource.code), stats: stats)
            var round = 0
            if repeatsPossible {
                let key = BucketKey(containerID: row.containerID, resource: row.resource, start: stats.start)
                round = seen[key, default: 0]
                seen[key] = round + 1
            }
            written += 1
            if round == 0, let latest {
                let series = SeriesKey(containerID: row.containerID, resource: row.resource)
                if registry.createdIDs.contains(row.containerID) || latest[series].map({ stats.start > $0 }) ?? true {
                    straight.append(row)
                    return
                }
            }
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(row)
        }
        for batch in batches {
            for bucket in batch.usage { try add(bucket.container, bucket.resource, bucket.stats) }
            for run in batch.usageRuns {
                for stats in run.stats { try add(run.container, run.resource, stats) }
            }
        }
        if !straight.isEmpty { try await copyUsage(straight, into: "usage_5m") }
        for (index, round) in rounds.enumerated() where !round.isEmpty {
            if index > 0 { try await connection.query("TRUNCATE stage_usage", logger: logger) }
            try await copyUsage(round, into: "stage_usage")
            try await connection.query(PostgresQuery(unsafeSQL: Self.mergeUsageSQL), logger: logger)
        }
        return (written, skipped)
    }

    /// Whether every (container, resource) of the batches appears as one contiguous run of
    /// strictly rising bucket starts (what a collector or a sorted import hands over).
    static func eachSeriesOneRisingRun(_ batches: [CollectedBatch]) -> Bool {
        struct Series: Hashable {
            let container: ContainerID
            let resource: ResourceKind
        }
        var finished = Set<Series>()
        var current: (series: Series, start: Int64)?
        func step(_ container: ContainerID, _ resource: ResourceKind, _ start: Int64) -> Bool {
            if let run = current, run.series.resource == resource, run.series.container == container {
                guard start > run.start else { return false }
                current = (run.series, start)
                return true
            }
            if let run = current { finished.insert(run.series) }
            let series = Series(container: container, resource: resource)
            guard !finished.contains(series) else { return false }
            current = (series, start)
            return true
        }
        for batch in batches {
            for bucket in batch.usage where !step(bucket.container, bucket.resource, bucket.stats.start) { return false }
            for run in batch.usageRuns {
                for stats in run.stats where !step(run.container, run.resource, stats.start) { return false }
            }
        }
        return true
    }

    private func copyUsage(_ rows: [UsageRow], into table: String) async throws {
        try await copy(into: table, columns: ["container_id", "resource", "bucket_start", "samples", "mean", "max", "first_ms", "last_ms"],
                       rows: rows) { encoder, row in
            encoder.addUsage(containerID: row.containerID, resource: row.resource, row.stats)
        }
    }

    /// The latest stored bucket start of each (container, resource) of the ingest's existing
    /// containers, through the primary key (two index probes per container).
    private func latestStoredBuckets(_ registry: PostgresContainerRegistry) async throws -> [SeriesKey: Int64] {
        let existing = registry.allIDs.filter { !registry.createdIDs.contains($0) }
        var latest: [SeriesKey: Int64] = [:]
        guard !existing.isEmpty else { return latest }
        let rows = try await connection.query("""
            SELECT k.id, r.code, (SELECT max(bucket_start) FROM usage_5m WHERE container_id = k.id AND resource = r.code)
            FROM unnest(\(existing)::bigint[]) AS k(id), (VALUES (0::bigint), (1::bigint)) AS r(code)
            """, logger: logger)
        for try await (id, resource, start) in rows.decode((Int64, Int64, Int64?).self) {
            if let start { latest[SeriesKey(containerID: id, resource: resource)] = start }
        }
        return latest
    }

    private struct SeriesKey: Hashable {
        let containerID: Int64
        let resource: Int64
    }

    private struct BucketKey: Hashable {
        let containerID: Int64
        let resource: Int64
        let start: Int64
    }

    /// The SQLite store's merge rule (`HistoryStore.upsertUsageSQL`): disjoint partial buckets
    /// merge; otherwise the summary with more samples (or as many: the newer) wins. A bucket
    /// stored again unchanged (a re-import) is left alone: no new row version to write.
    static let mergeUsageSQL: String = {
        let disjoint = "(excluded.first_ms > u.last_ms OR excluded.last_ms < u.first_ms)"
        let newer = "excluded.samples >= u.samples"
        return """
            INSERT INTO usage_5m AS u (container_id, resource, bucket_start, samples, mean, max, first_ms, last_ms)
            SELECT container_id, resource, bucket_start, samples, mean, max, first_ms, last_ms FROM stage_usage
            ON CONFLICT (container_id, resource, bucket_start) DO UPDATE SET
              samples = CASE WHEN \(disjoint) THEN u.samples + excluded.samples
                             WHEN \(newer) THEN excluded.samples ELSE u.samples END,
              mean = CASE WHEN \(disjoint) THEN (u.mean * u.samples + excluded.mean * excluded.samples) / (u.samples + excluded.samples)
                          WHEN \(newer) THEN excluded.mean ELSE u.mean END,
              max = CASE WHEN \(disjoint) THEN GREATEST(u.max, excluded.max)
                         WHEN \(newer) THEN excluded.max ELSE u.max END,
              first_ms = CASE WHEN \(disjoint) THEN LEAST(u.first_ms, excluded.first_ms)
                              WHEN \(newer) THEN excluded.first_ms ELSE u.first_ms END,
              last_ms = CASE WHEN \(disjoint) THEN GREATEST(u.last_ms, excluded.last_ms)
                             WHEN \(newer) THEN excluded.last_ms ELSE u.last_ms END
            WHERE (u.samples, u.mean, u.max, u.first_ms, u.last_ms)
                  IS DISTINCT FROM (excluded.samples, excluded.mean, excluded.max, excluded.first_ms, excluded.last_ms)
            """
    }()

    // MARK: Inventory and events

    /// Inventory rows; a record stored again replaces the stored one (the last of an ingest wins).
    private func storeInventory(_ records: [InventoryRecord], registry: PostgresContainerRegistry) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        var latest: [InventoryKey: Int] = [:]
        for (index, record) in records.enumerated() {
            latest[InventoryKey(containerID: registry[record.container], observedAt: record.observedAt)] = index
        }
        let unique = latest.values.sorted().map { records[$0] }
        try await copy(into: "stage_inventory", columns: Self.inventoryColumns, rows: unique) { encoder, record in
            encoder.add(registry[record.container])
            encoder.add(record.observedAt)
            encoder.add(record.requests.cpu?.millicores)
            encoder.add(record.requests.memory?.bytes)
            encoder.add(record.limits.cpu?.millicores)
            encoder.add(record.limits.memory?.bytes)
            encoder.add(record.replicas.map(Int64.init))
            encoder.add(record.nodePool)
            encoder.add(record.zone)
            encoder.add(record.hpa.map { Int64($0.minReplicas) })
            encoder.add(record.hpa.map { Int64($0.maxReplicas) })
            encoder.add(record.hpa?.targetCPUUtilizationPercent.map(Int64.init))
            encoder.add(record.hpa?.targetMemoryUtilizationPercent.map(Int64.init))
            encoder.add(try HistoryStore.annotationsJSON(record.annotations))
            encoder.add(try HistoryStore.annotationsJSON(record.labels))
        }
        let columns = Self.inventoryColumns.joined(separator: ", ")
        let updates = Self.inventoryColumns.dropFirst(2).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO inventory (\(columns)) SELECT \(columns) FROM stage_inventory
            ON CONFLICT (container_id, observed_at) DO UPDATE SET \(updates)
            """), logger: logger)
        return records.count
    }

    static let inventoryColumns = [
        "container_id", "observed_at", "cpu_request_millicores", "memory_request_bytes", "cpu_limit_millicores", "memory_limit_bytes",
        "replicas", "node_pool", "zone", "hpa_min_replicas", "hpa_max_replicas", "hpa_target_cpu_percent", "hpa_target_memory_percent",
        "annotations", "labels",
    ]

    private struct InventoryKey: Hashable {
        let containerID: Int64
        let observedAt: Int64
    }

    /// Events; one stored again replaces the stored one.
    private func storeEvents(_ events: [ContainerEvent], registry: PostgresContainerRegistry) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        var latest: [EventKey: Int] = [:]
        for (index, event) in events.enumerated() {
            latest[EventKey(containerID: registry[event.container], pod: event.pod, time: event.time, kind: event.kind.rawValue)] = index
        }
        let unique = latest.values.sorted().map { events[$0] }
        try await copy(into: "stage_events", columns: ["container_id", "pod", "time", "kind", "memory_bytes"], rows: unique) { encoder, event in
            encoder.add(registry[event.container])
            encoder.add(event.pod)
            encoder.add(event.time)
            encoder.add(event.kind.rawValue)
            encoder.add(event.memoryBytes)
        }
        try await connection.query("""
            INSERT INTO events (container_id, pod, time, kind, memory_bytes) SELECT container_id, pod, time, kind, memory_bytes FROM stage_events
            ON CONFLICT (container_id, pod, time, kind) DO UPDATE SET memory_bytes = excluded.memory_bytes
            """, logger: logger)
        return events.count
    }

    private struct EventKey: Hashable {
        let containerID: Int64
        let pod: String
        let time: Int64
        let kind: String
    }
    /// Streams `rows` into `table` with one COPY.
    private func copy<Row>(into table: String, columns: [String], rows: [Row],
                           encode: (inout CopyTextEncoder, Row) throws -> Void) async throws {
        try await connection.copyRows(into: table, columns: columns, rows: rows, logger: logger, encode: encode)
    }
}
