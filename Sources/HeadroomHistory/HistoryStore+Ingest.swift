import Foundation
import GRDB
import HeadroomCore

extension HistoryStore {
    /// Rows written between two progress reports.
    public static let ingestBatchSize = 20_000

    /// Stores a batch in one transaction. Idempotent: storing the same batch again, or one that
    /// overlaps an earlier one, leaves one row per bucket. Two partial summaries of a bucket
    /// merge when their samples are disjoint in time; when they overlap, the one with more
    /// samples wins (a re-import of a superset replaces, a re-import of the same replaces
    /// with the same values).
    @discardableResult
    public func ingest(_ batch: CollectedBatch, progress: ((IngestProgress) -> Void)? = nil) throws(HistoryError) -> IngestSummary {
        try ingest([batch], progress: progress)
    }

    /// Stores several batches (several files of one import) in a single transaction.
    @discardableResult
    public func ingest(_ batches: [CollectedBatch], progress: ((IngestProgress) -> Void)? = nil) throws(HistoryError) -> IngestSummary {
        try write { db in
            var total = IngestSummary()
            var counter = ProgressCounter(
                total: batches.reduce(0) { $0 + $1.usageBucketCount + $1.inventory.count + $1.events.count }, report: progress)
            for batch in batches {
                let summary = try Self.ingest(batch, into: db, counter: &counter)
                total.usageRows += summary.usageRows
                total.skippedBeforeHorizon += summary.skippedBeforeHorizon
                total.inventoryRows += summary.inventoryRows
                total.eventRows += summary.eventRows
                total.rawSamples += summary.rawSamples
                total.newContainers += summary.newContainers
            }
            counter.finish()
            return total
        }
    }

    private static func ingest(_ batch: CollectedBatch, into db: Database, counter: inout ProgressCounter) throws -> IngestSummary {
        var summary = IngestSummary(rawSamples: batch.rawSampleCount)
        var registry = try ContainerRegistry(db: db)
        let horizon = try rollupHorizon(db)

        let usage = BoundStatement(try db.cachedStatement(sql: upsertUsageSQL(table: "usage_5m")))
        func insert(_ container: ContainerID, _ resource: ResourceKind, _ stats: BucketStats) throws {
            if let horizon, stats.start < horizon {
                summary.skippedBeforeHorizon += 1
                counter.tick()
                return
            }
            let id = try registry.id(for: container, db: db)
            usage.bind(1, id)
            usage.bind(2, Int64(resource.code))
            usage.bind(3, stats.start)
            usage.bind(4, Int64(stats.count))
            usage.bind(5, stats.mean)
            usage.bind(6, stats.max)
            usage.bind(7, stats.firstSampleMillis)
            usage.bind(8, stats.lastSampleMillis)
            try usage.step(db)
            summary.usageRows += 1
            counter.tick()
        }
        for bucket in batch.usage { try insert(bucket.container, bucket.resource, bucket.stats) }
        for run in batch.usageRuns {
            for stats in run.stats { try insert(run.container, run.resource, stats) }
        }

        let inventory = BoundStatement(try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO inventory (container_id, observed_at, cpu_request_millicores,
                memory_request_bytes, cpu_limit_millicores, memory_limit_bytes, replicas, node_pool,
                zone, hpa_min_replicas, hpa_max_replicas, hpa_target_cpu_percent, hpa_target_memory_percent, annotations, labels)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """))
        for record in batch.inventory {
            inventory.bind(1, try registry.id(for: record.container, db: db))
            inventory.bind(2, record.observedAt)
            inventory.bind(3, record.requests.cpu?.millicores)
            inventory.bind(4, record.requests.memory?.bytes)
            inventory.bind(5, record.limits.cpu?.millicores)
            inventory.bind(6, record.limits.memory?.bytes)
            inventory.bind(7, record.replicas.map(Int64.init))
            inventory.bind(8, record.nodePool)
            inventory.bind(9, record.zone)
            inventory.bind(10, record.hpa.map { Int64($0.minReplicas) })
            inventory.bind(11, record.hpa.map { Int64($0.maxReplicas) })
            inventory.bind(12, record.hpa?.targetCPUUtilizationPercent.map(Int64.init))
            inventory.bind(13, record.hpa?.targetMemoryUtilizationPercent.map(Int64.init))
            inventory.bind(14, try annotationsJSON(record.annotations))
            inventory.bind(15, try annotationsJSON(record.labels))
            try inventory.step(db)
            summary.inventoryRows += 1
            counter.tick()
        }

        let events = BoundStatement(try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO events (container_id, pod, time, kind, memory_bytes) VALUES (?, ?, ?, ?, ?)
            """))
        for event in batch.events {
            events.bind(1, try registry.id(for: event.container, db: db))
            events.bind(2, event.pod)
            events.bind(3, event.time)
            events.bind(4, event.kind.rawValue)
            events.bind(5, event.memoryBytes)
            try events.step(db)
            summary.eventRows += 1
            counter.tick()
        }

        if let cluster = batch.cluster {
            let name = cluster.cluster ?? batch.inventory.first?.container.workload.cluster ?? ContainerID.defaultCluster
            try store(cluster, cluster: name, into: db)
        }

        if let watermark = batch.watermark {
            try db.execute(sql: """
                INSERT INTO watermarks (source, watermark) VALUES (?, ?)
                ON CONFLICT (source) DO UPDATE SET watermark = max(watermark, excluded.watermark)
                """, arguments: [batch.source, watermark])
        }
        summary.newContainers = registry.created
        return summary
    }

    /// Upsert that merges disjoint partial buckets and otherwise keeps the fuller summary.
    /// In an UPDATE every column reference reads the row's old values.
    /// Annotations or labels as a JSON object with sorted keys (stable content digests), NULL when none.
    package static func annotationsJSON(_ annotations: [String: String]) throws -> String? {
        guard !annotations.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(annotations), as: UTF8.self)
    }

    static func upsertUsageSQL(table: String) -> String {
        let disjoint = "(excluded.first_ms > \(table).last_ms OR excluded.last_ms < \(table).first_ms)"
        let newer = "excluded.samples >= \(table).samples"
        return """
            INSERT INTO \(table) (container_id, resource, bucket_start, samples, mean, max, first_ms, last_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (container_id, resource, bucket_start) DO UPDATE SET
              samples = CASE WHEN \(disjoint) THEN \(table).samples + excluded.samples
                             WHEN \(newer) THEN excluded.samples ELSE \(table).samples END,
              mean = CASE WHEN \(disjoint) THEN (\(table).mean * \(table).samples + excluded.mean * excluded.samples)
                                                 / (\(table).samples + excluded.samples)
                          WHEN \(newer) THEN excluded.mean ELSE \(table).mean END,
              max = CASE WHEN \(disjoint) THEN max(\(table).max, excluded.max)
                         WHEN \(newer) THEN excluded.max ELSE \(table).max END,
              first_ms = CASE WHEN \(disjoint) THEN min(\(table).first_ms, excluded.first_ms)
                              WHEN \(newer) THEN excluded.first_ms ELSE \(table).first_ms END,
              last_ms = CASE WHEN \(disjoint) THEN max(\(table).last_ms, excluded.last_ms)
                             WHEN \(newer) THEN excluded.last_ms ELSE \(table).last_ms END
            """
    }

    /// Counts rows across all batches of one ingest and reports every `ingestBatchSize` rows.
    private struct ProgressCounter {
        let total: Int
        let report: ((IngestProgress) -> Void)?
        var written = 0

        mutating func tick() {
            written += 1
            if written % ingestBatchSize == 0 { report?(IngestProgress(rowsWritten: written, rowsTotal: total)) }
        }

        func finish() {
            if total > 0 { report?(IngestProgress(rowsWritten: total, rowsTotal: total)) }
        }
    }

    static func rollupHorizon(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT value FROM store_state WHERE key = 'rollup_horizon'")
    }
}
