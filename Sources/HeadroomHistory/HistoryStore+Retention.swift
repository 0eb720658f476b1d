import GRDB
import HeadroomCore

extension HistoryStore {
    /// Rolls 5-minute buckets older than the retention window (relative to `now`, unix seconds)
    /// up into hourly buckets and deletes them, in one transaction. Hourly means are weighted by
    /// sample counts; maxima stay maxima. Running it again with the same `now` changes nothing.
    @discardableResult
    public func applyRetention(now: Int64, policy: RetentionPolicy = RetentionPolicy()) throws(HistoryError) -> RetentionSummary {
        let cutoff = floorDiv(now - policy.fiveMinuteRetentionSeconds, 3600) * 3600
        return try write { db in
            let old = try Int.fetchOne(db, sql: "SELECT count(*) FROM usage_5m WHERE bucket_start < ?", arguments: [cutoff]) ?? 0
            try db.execute(sql: """
                INSERT INTO usage_1h (container_id, resource, bucket_start, samples, mean, max, first_ms, last_ms)
                SELECT container_id, resource, (bucket_start / 3600) * 3600 AS hour, sum(samples),
                       sum(mean * samples) / sum(samples), max(max), min(first_ms), max(last_ms)
                FROM usage_5m WHERE bucket_start < ?
                GROUP BY container_id, resource, hour
                ON CONFLICT (container_id, resource, bucket_start) DO UPDATE SET
                  mean = (usage_1h.mean * usage_1h.samples + excluded.mean * excluded.samples)
                         / (usage_1h.samples + excluded.samples),
                  samples = usage_1h.samples + excluded.samples,
                  max = max(usage_1h.max, excluded.max),
                  first_ms = min(usage_1h.first_ms, excluded.first_ms),
                  last_ms = max(usage_1h.last_ms, excluded.last_ms)
                """, arguments: [cutoff])
            let hourly = db.changesCount
            try db.execute(sql: "DELETE FROM usage_5m WHERE bucket_start < ?", arguments: [cutoff])
            let horizon = max(cutoff, try Self.rollupHorizon(db) ?? cutoff)
            try db.execute(sql: """
                INSERT INTO store_state (key, value) VALUES ('rollup_horizon', ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, arguments: [horizon])
            return RetentionSummary(horizon: horizon, fiveMinuteRowsRolledUp: old, hourlyRowsWritten: old == 0 ? 0 : hourly)
        }
    }
}
