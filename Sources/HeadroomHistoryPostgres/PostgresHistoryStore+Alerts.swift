import Foundation
import HeadroomHistory
import NIOCore
import PostgresNIO

extension PostgresHistoryStore {
    public func alertStates() async throws(HistoryError) -> [AlertStateRow] {
        try await rows("read the alert states", "SELECT key, status, updated_at, body FROM alert_states") { row in
            let (key, status, updatedAt, body) = try row.decode((String, String, Int64, ByteBuffer).self)
            return AlertStateRow(key: key, status: status, updatedAt: updatedAt, body: Array(body.readableBytesView))
        }.sorted { $0.key < $1.key }
    }

    /// Stores an evaluation's decision in one transaction, as `HistoryStore.recordAlertDecision`
    /// does: states, outbox rows (an existing one by idempotency key, sink and target is kept),
    /// cancellations of what resolved before it was due, and drops past `limit` by `dropOrder`.
    /// Decisions of two writers at once are taken one after the other (an advisory lock).
    @discardableResult
    public func recordAlertDecision(states: [AlertStateRow], outbox: [AlertOutboxRow], cancellable: [String: Int64] = [:], limit: Int,
                                    dropOrder: [String], at now: Int64) async throws(HistoryError) -> (inserted: Int, dropped: Int, cancelled: Int) {
        let logger = self.logger
        let counts = try await transaction("record the alert decision") { connection -> [Int] in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey + 2))", logger: logger)
            for state in states {
                try await connection.query("""
                    INSERT INTO alert_states (key, status, updated_at, body) VALUES (\(state.key), \(state.status), \(state.updatedAt), \(ByteBuffer(bytes: state.body)))
                    ON CONFLICT (key) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, body = excluded.body
                    """, logger: logger)
            }
            var cancelling: Set<String> = []
            var cancelled = 0
            for (key, since) in cancellable.sorted(by: { $0.key < $1.key }) {
                let delivered = try await connection.query("""
                    SELECT EXISTS (SELECT 1 FROM alert_outbox WHERE state_key = \(key) AND created_at >= \(since) AND delivered_at IS NOT NULL)
                    """, logger: logger).decode(Bool.self).first { _ in true } ?? false
                guard !delivered else { continue }
                cancelling.insert(key)
                cancelled += try await Self.count(connection.query("""
                    UPDATE alert_outbox SET dropped_at = \(now), last_error = 'resolved before it was due'
                    WHERE state_key = \(key) AND delivered_at IS NULL AND dropped_at IS NULL RETURNING id
                    """, logger: logger))
            }
            var inserted = 0
            for row in outbox where !cancelling.contains(row.stateKey) {
                inserted += try await Self.count(connection.query("""
                    INSERT INTO alert_outbox (idempotency_key, sink, target, state_key, event, severity, created_at, deliver_at, next_attempt_at, payload)
                    VALUES (\(row.idempotencyKey), \(row.sink), \(row.target), \(row.stateKey), \(row.event), \(row.severity), \(row.createdAt),
                            \(row.deliverAt), \(row.nextAttemptAt), \(ByteBuffer(bytes: row.payload)))
                    ON CONFLICT (idempotency_key, sink, target) DO NOTHING RETURNING id
                    """, logger: logger))
            }
            var dropped = 0
            let pending = try await connection.query("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL AND dropped_at IS NULL",
                                                     logger: logger).decode(Int64.self).first { _ in true } ?? 0
            var excess = Int(pending) - limit
            for severity in dropOrder where excess > 0 {
                let changed = try await Self.count(connection.query("""
                    UPDATE alert_outbox SET dropped_at = \(now), last_error = 'queue full' WHERE id IN (
                        SELECT id FROM alert_outbox WHERE delivered_at IS NULL AND dropped_at IS NULL AND severity = \(severity)
                        ORDER BY created_at, id LIMIT \(Int64(excess)))
                    RETURNING id
                    """, logger: logger))
                dropped += changed
                excess -= changed
            }
            return [inserted, dropped, cancelled]
        }
        return (counts[0], counts[1], counts[2])
    }

    /// The rows a statement returned, counted (PostgreSQL's way to say how many it changed).
    static func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    public func dueAlertOutbox(at now: Int64) async throws(HistoryError) -> [AlertOutboxRow] {
        try await rows("read the due alerts", """
            SELECT \(unescaped: Self.outboxColumns) FROM alert_outbox
            WHERE delivered_at IS NULL AND dropped_at IS NULL AND deliver_at <= \(now) AND next_attempt_at <= \(now) ORDER BY id
            """, Self.outboxRow)
    }

    public func alertOutbox() async throws(HistoryError) -> [AlertOutboxRow] {
        try await rows("read the alert outbox", "SELECT \(unescaped: Self.outboxColumns) FROM alert_outbox ORDER BY id", Self.outboxRow)
    }

    public func assignAlertDigest(_ ids: [Int64], digest: String) async throws(HistoryError) {
        _ = try await collect("group alerts into a digest", """
            UPDATE alert_outbox SET digest = \(digest) WHERE id = ANY(\(ids)::bigint[]) AND digest IS NULL RETURNING id
            """, as: Int64.self)
    }

    public func markAlertsDelivered(_ ids: [Int64], at now: Int64) async throws(HistoryError) {
        _ = try await collect("mark alerts delivered", """
            UPDATE alert_outbox SET delivered_at = \(now), last_error = NULL WHERE id = ANY(\(ids)::bigint[]) RETURNING id
            """, as: Int64.self)
    }

    public func markAlertsFailed(_ ids: [Int64], nextAttemptAt: Int64, error: String) async throws(HistoryError) {
        _ = try await collect("mark alerts failed", """
            UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = \(nextAttemptAt), last_error = \(error)
            WHERE id = ANY(\(ids)::bigint[]) RETURNING id
            """, as: Int64.self)
    }

    public func alertOutboxCounts() async throws(HistoryError) -> AlertOutboxCounts {
        let totals = try await rows("count the alert outbox", """
            SELECT count(*) FILTER (WHERE delivered_at IS NULL AND dropped_at IS NULL),
                   count(*) FILTER (WHERE delivered_at IS NOT NULL),
                   coalesce(sum(attempts), 0)::bigint,
                   count(*) FILTER (WHERE dropped_at IS NOT NULL AND last_error = 'queue full'),
                   count(*) FILTER (WHERE dropped_at IS NOT NULL AND last_error IS DISTINCT FROM 'queue full')
            FROM alert_outbox
            """) { row in try row.decode((Int64, Int64, Int64, Int64, Int64).self) }
        let bySeverity = try await rows("count dropped alerts", """
            SELECT severity, count(*) FROM alert_outbox WHERE last_error = 'queue full' AND dropped_at IS NOT NULL GROUP BY severity
            """) { row in try row.decode((String, Int64).self) }
        var counts = AlertOutboxCounts()
        if let first = totals.first {
            counts.pending = Int(first.0)
            counts.delivered = Int(first.1)
            counts.failedAttempts = Int(first.2)
            counts.dropped = Int(first.3)
            counts.cancelled = Int(first.4)
        }
        for (severity, count) in bySeverity { counts.droppedBySeverity[severity] = Int(count) }
        return counts
    }

    static let outboxColumns = """
        id, idempotency_key, sink, target, state_key, event, severity, created_at, deliver_at, next_attempt_at, attempts, digest, \
        delivered_at, last_error, payload
        """

    @Sendable static func outboxRow(_ row: PostgresRow) throws -> AlertOutboxRow {
        let (id, key, sink, target, stateKey, event, severity, createdAt, deliverAt, nextAttemptAt, attempts, digest, deliveredAt, lastError, payload)
            = try row.decode((Int64, String, String, String, String, String, String, Int64, Int64, Int64, Int64, String?, Int64?, String?, ByteBuffer).self)
        var outbox = AlertOutboxRow(idempotencyKey: key, sink: sink, target: target, stateKey: stateKey, event: event, severity: severity,
                                    createdAt: createdAt, deliverAt: deliverAt, payload: Array(payload.readableBytesView))
        outbox.id = id
        outbox.nextAttemptAt = nextAttemptAt
        outbox.attempts = Int(attempts)
        outbox.digest = digest
        outbox.deliveredAt = deliveredAt
        outbox.lastError = lastError
        return outbox
    }
}
