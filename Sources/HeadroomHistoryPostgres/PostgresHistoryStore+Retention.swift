import HeadroomCore
import HeadroomHistory
import PostgresNIO

extension PostgresHistoryStore {
    /// Rolls 5-minute buckets older than the retention window up into hourly ones and deletes
    /// them, in one transaction, as the SQLite store does (`HistoryStore.applyRetention`); hourly
    /// means weighted by sample counts, maxima kept. Running it again with the same `now` changes nothing.
    public func applyRetention(now: Int64, policy: RetentionPolicy = RetentionPolicy()) async throws(HistoryError) -> RetentionSummary {
        let cutoff = floorDiv(now - policy.fiveMinuteRetentionSeconds, 3600) * 3600
        let logger = self.logger
        return try await transaction("apply retention") { connection in
            // One roll-up at a time: two replicas rolling the same hours would add them twice.
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey + 1))", logger: logger)
            let old = try await connection.query("SELECT count(*) FROM usage_5m WHERE bucket_start < \(cutoff)", logger: logger)
                .decode(Int64.self).first { _ in true } ?? 0
            let hourly = try await connection.query("""
                INSERT INTO usage_1h AS h (container_id, resource, bucket_start, samples, mean, max, first_ms, last_ms)
                SELECT container_id, resource, (bucket_start / 3600) * 3600 AS hour, sum(samples)::bigint,
                       sum(mean * samples) / sum(samples)::double precision, max(max), min(first_ms), max(last_ms)
                FROM usage_5m WHERE bucket_start < \(cutoff)
                GROUP BY container_id, resource, hour
                ON CONFLICT (container_id, resource, bucket_start) DO UPDATE SET
                  mean = (h.mean * h.samples + excluded.mean * excluded.samples) / (h.samples + excluded.samples),
                  samples = h.samples + excluded.samples,
                  max = GREATEST(h.max, excluded.max),
                  first_ms = LEAST(h.first_ms, excluded.first_ms),
                  last_ms = GREATEST(h.last_ms, excluded.last_ms)
                RETURNING 1
                """, logger: logger)
            var hourlyRows = 0
            for try await _ in hourly.decode(Int.self) { hourlyRows += 1 }
            try await connection.query("DELETE FROM usage_5m WHERE bucket_start < \(cutoff)", logger: logger)
            let stored = try await connection.query("SELECT value FROM store_state WHERE key = 'rollup_horizon'", logger: logger)
                .decode(Int64.self).first { _ in true }
            let horizon = max(cutoff, stored ?? cutoff)
            try await connection.query("""
                INSERT INTO store_state (key, value) VALUES ('rollup_horizon', \(horizon))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, logger: logger)
            return RetentionSummary(horizon: horizon, fiveMinuteRowsRolledUp: Int(old), hourlyRowsWritten: old == 0 ? 0 : hourlyRows)
        }
    }
}
