import HeadroomCore
import HeadroomHistory
import PostgresNIO

extension PostgresHistoryStore {
    public func record(_ run: CollectionRun) async throws(HistoryError) {
        _ = try await collect("record the collection run of \(run.source)", """
            INSERT INTO collection_runs (source, mode, started_at, range_start, range_end, chunks, queries, series, samples, bytes,
                                         overload_splits, seconds)
            VALUES (\(run.source), \(run.mode), \(run.startedAt), \(run.start), \(run.end), \(Int64(run.chunks)), \(Int64(run.queries)),
                    \(Int64(run.series)), \(Int64(run.samples)), \(Int64(run.bytes)), \(Int64(run.overloadSplits)), \(run.seconds))
            RETURNING id
            """, as: Int64.self)
    }

    public func collectionRuns(source: String? = nil, limit: Int = 20) async throws(HistoryError) -> [CollectionRun] {
        try await rows("read the collection runs", """
            SELECT source, mode, started_at, range_start, range_end, chunks, queries, series, samples, bytes, overload_splits, seconds
            FROM collection_runs WHERE (\(source)::text IS NULL OR source = \(source)) ORDER BY started_at DESC, id DESC LIMIT \(Int64(limit))
            """) { row in
            let (source, mode, startedAt, start, end, chunks, queries, series, samples, bytes, splits, seconds)
                = try row.decode((String, String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Double).self)
            return CollectionRun(source: source, mode: mode, startedAt: startedAt, start: start, end: end, chunks: Int(chunks), queries: Int(queries),
                                 series: Int(series), samples: Int(samples), bytes: Int(bytes), overloadSplits: Int(splits), seconds: seconds)
        }
    }

    public func watermarks() async throws(HistoryError) -> [SourceWatermark] {
        try await rows("read the watermarks", "SELECT source, watermark FROM watermarks") { row in
            let (source, watermark) = try row.decode((String, Int64).self)
            return SourceWatermark(source: source, watermark: watermark)
        }.sorted { $0.source < $1.source }
    }

    public func clusterFreshness() async throws(HistoryError) -> [ClusterFreshness] {
        try await rows("read the clusters' freshness", """
            SELECT c.cluster,
                   (SELECT max((SELECT max(bucket_start) FROM usage_5m WHERE container_id = k.id AND resource = r.code))
                    FROM containers k, (VALUES (0), (1)) AS r(code) WHERE k.cluster = c.cluster),
                   (SELECT max(i.observed_at) FROM inventory i JOIN containers k ON k.id = i.container_id WHERE k.cluster = c.cluster),
                   (SELECT max(n.observed_at) FROM nodes n WHERE n.cluster = c.cluster),
                   count(*)
            FROM containers c GROUP BY c.cluster
            """) { row in
            let (cluster, usage, inventory, nodes, containers) = try row.decode((String, Int64?, Int64?, Int64?, Int64).self)
            return ClusterFreshness(cluster: cluster, lastUsageBucket: usage, lastInventory: inventory, lastNodeSnapshot: nodes,
                                    containers: Int(containers))
        }.sorted { $0.cluster < $1.cluster }
    }
}

/// One table of a PostgreSQL store: its rows and the disk it takes.
public struct PostgresTableSize: Sendable, Hashable, Encodable {
    public var table: String
    /// Exact for tables under 1 GB; above, PostgreSQL's estimate (`reltuples`), nil before the
    /// table was first analysed (counting billions of rows would take hours).
    public var rows: Int64?
    public var rowsEstimated: Bool
    /// `pg_total_relation_size`: the table with its indexes and TOAST.
    public var bytes: Int64
}

extension PostgresHistoryStore {
    /// Bytes each table of the store takes on the server, its indexes and TOAST included
    /// (`pg_total_relation_size`): what a fleet store costs in disk.
    public func tableBytes() async throws(HistoryError) -> [String: Int64] {
        Dictionary(try await catalogueSizes().map { ($0.table, $0.bytes) }, uniquingKeysWith: { $1 })
    }

    /// Every table of the store with its rows and bytes, by name (`headroom db stats`).
    public func tableSizes() async throws(HistoryError) -> [PostgresTableSize] {
        var sizes: [PostgresTableSize] = []
        for (table, bytes, estimate) in try await catalogueSizes() {
            if bytes < 1 << 30 {
                // The name comes from the catalogue, quoted as an identifier.
                let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                let count = try await collect("count the rows of \(table)", PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(quoted)"), as: Int64.self)
                sizes.append(PostgresTableSize(table: table, rows: count.first, rowsEstimated: false, bytes: bytes))
            } else {
                sizes.append(PostgresTableSize(table: table, rows: estimate >= 0 ? estimate : nil, rowsEstimated: true, bytes: bytes))
            }
        }
        return sizes
    }

    /// Each table's size and the server's row estimate (−1 before it was analysed), from the catalogue, by name.
    private func catalogueSizes() async throws(HistoryError) -> [(table: String, bytes: Int64, estimate: Int64)] {
        try await rows("read the table sizes", """
            SELECT c.relname::text, pg_total_relation_size(c.oid), c.reltuples::bigint FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = current_schema()
            """) { row in try row.decode((String, Int64, Int64).self) }.sorted { $0.0 < $1.0 }.map { (table: $0.0, bytes: $0.1, estimate: $0.2) }
    }
}
