import GRDB

/// What one collection run asked of its source and what it cost: kept so an operator can see
/// how hard Headroom presses on Prometheus, run after run (`headroom db collections`).
public struct CollectionRun: Hashable, Sendable, Codable {
    public var source: String
    /// `downsampled` or `raw`.
    public var mode: String
    /// Unix seconds the run started.
    public var startedAt: Int64
    /// The collected range `[start, end)`, unix seconds.
    public var start: Int64
    public var end: Int64
    public var chunks: Int
    public var queries: Int
    public var series: Int
    /// Points Prometheus returned.
    public var samples: Int
    public var bytes: Int
    public var overloadSplits: Int
    public var seconds: Double

    public init(source: String, mode: String, startedAt: Int64, start: Int64, end: Int64, chunks: Int, queries: Int, series: Int,
                samples: Int, bytes: Int, overloadSplits: Int, seconds: Double) {
        self.source = source
        self.mode = mode
        self.startedAt = startedAt
        self.start = start
        self.end = end
        self.chunks = chunks
        self.queries = queries
        self.series = series
        self.samples = samples
        self.bytes = bytes
        self.overloadSplits = overloadSplits
        self.seconds = seconds
    }
}

extension HistoryStore {
    /// Appends a run to the log.
    public func record(_ run: CollectionRun) throws(HistoryError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO collection_runs (source, mode, started_at, range_start, range_end, chunks, queries, series, samples, bytes,
                                             overload_splits, seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.source, run.mode, run.startedAt, run.start, run.end, run.chunks, run.queries, run.series,
                                 run.samples, run.bytes, run.overloadSplits, run.seconds])
        }
    }

    /// The latest `limit` runs, newest first, of one source or all.
    public func collectionRuns(source: String? = nil, limit: Int = 20) throws(HistoryError) -> [CollectionRun] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT source, mode, started_at, range_start, range_end, chunks, queries, series, samples, bytes, overload_splits, seconds
                FROM collection_runs WHERE (?1 IS NULL OR source = ?1) ORDER BY started_at DESC, id DESC LIMIT ?2
                """, arguments: [source, limit]).map {
                CollectionRun(source: $0[0], mode: $0[1], startedAt: $0[2], start: $0[3], end: $0[4], chunks: $0[5], queries: $0[6],
                              series: $0[7], samples: $0[8], bytes: $0[9], overloadSplits: $0[10], seconds: $0[11])
            }
        }
    }
}
