import Foundation
import GRDB

/// One stored alert state: its key, status and the JSON body HeadroomAlerts reads.
public struct AlertStateRow: Sendable, Hashable {
    public var key: String
    public var status: String
    public var updatedAt: Int64
    public var body: [UInt8]

    public init(key: String, status: String, updatedAt: Int64, body: [UInt8]) {
        self.key = key
        self.status = status
        self.updatedAt = updatedAt
        self.body = body
    }
}

/// One notification to one sink target, in the outbox until it is delivered or dropped.
public struct AlertOutboxRow: Sendable, Hashable {
    public var id: Int64?
    public var idempotencyKey: String
    public var sink: String
    public var target: String
    public var stateKey: String
    public var event: String
    public var severity: String
    public var createdAt: Int64
    /// Not sent before this (business hours, the digest hour).
    public var deliverAt: Int64
    /// Not tried again before this (backoff after a failure).
    public var nextAttemptAt: Int64
    public var attempts: Int
    /// Rows sent together as one message (a digest) share it.
    public var digest: String?
    public var deliveredAt: Int64?
    public var lastError: String?
    public var payload: [UInt8]

    public init(idempotencyKey: String, sink: String, target: String, stateKey: String, event: String, severity: String, createdAt: Int64,
                deliverAt: Int64, payload: [UInt8]) {
        self.idempotencyKey = idempotencyKey
        self.sink = sink
        self.target = target
        self.stateKey = stateKey
        self.event = event
        self.severity = severity
        self.createdAt = createdAt
        self.deliverAt = deliverAt
        nextAttemptAt = deliverAt
        attempts = 0
        self.payload = payload
    }
}

/// Outbox totals: what is waiting, what went out, what failed and what was dropped.
public struct AlertOutboxCounts: Sendable, Hashable {
    public var pending = 0
    public var delivered = 0
    /// Failed attempts, summed over every row.
    public var failedAttempts = 0
    /// Dropped because the queue was full.
    public var dropped = 0
    /// Warnings and infos that resolved before they were due, with their resolutions.
    public var cancelled = 0
    public var droppedBySeverity: [String: Int] = [:]

    public init() {}
}

extension HistoryStore {
    /// Every stored alert state.
    public func alertStates() throws(HistoryError) -> [AlertStateRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, status, updated_at, body FROM alert_states ORDER BY key").map { row in
                let body: Data = row["body"]
                return AlertStateRow(key: row["key"], status: row["status"], updatedAt: row["updated_at"], body: [UInt8](body))
            }
        }
    }

    /// Stores an evaluation's decision in one transaction: the changed states and their outbox
    /// rows (a row already there, by idempotency key, sink and target, is left as it is).
    /// `cancellable` maps resolving state keys to when they started firing: where nothing of
    /// that state has been delivered since, its waiting rows are dropped and its new rows not
    /// written (a warning that resolved before business hours: neither goes out). Then, past
    /// `limit` undelivered rows, the oldest of the first severity in `dropOrder` are dropped,
    /// then the next. Returns the rows inserted, dropped for the queue and cancelled.
    @discardableResult
    public func recordAlertDecision(states: [AlertStateRow], outbox: [AlertOutboxRow], cancellable: [String: Int64] = [:], limit: Int,
                                    dropOrder: [String], at now: Int64) throws(HistoryError) -> (inserted: Int, dropped: Int, cancelled: Int) {
        try write { db in
            for state in states {
                try db.execute(sql: """
                    INSERT INTO alert_states (key, status, updated_at, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, body = excluded.body
                    """, arguments: [state.key, state.status, state.updatedAt, Data(state.body)])
            }
            var cancelling: Set<String> = []
            var cancelled = 0
            for (key, since) in cancellable.sorted(by: { $0.key < $1.key }) {
                let delivered = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM alert_outbox WHERE state_key = ? AND created_at >= ? AND delivered_at IS NOT NULL)",
                                                  arguments: [key, since]) ?? false
                guard !delivered else { continue }
                cancelling.insert(key)
                try db.execute(sql: "UPDATE alert_outbox SET dropped_at = ?, last_error = 'resolved before it was due' WHERE state_key = ? AND delivered_at IS NULL AND dropped_at IS NULL",
                               arguments: [now, key])
                cancelled += db.changesCount
            }
            var inserted = 0
            for row in outbox where !cancelling.contains(row.stateKey) {
                try db.execute(sql: """
                    INSERT INTO alert_outbox (idempotency_key, sink, target, state_key, event, severity, created_at, deliver_at, next_attempt_at, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key, sink, target) DO NOTHING
                    """, arguments: [row.idempotencyKey, row.sink, row.target, row.stateKey, row.event, row.severity, row.createdAt, row.deliverAt,
                                     row.nextAttemptAt, Data(row.payload)])
                inserted += db.changesCount
            }
            var dropped = 0
            var excess = try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL AND dropped_at IS NULL")! - limit
            for severity in dropOrder where excess > 0 {
                try db.execute(sql: """
                    UPDATE alert_outbox SET dropped_at = ?, last_error = 'queue full' WHERE id IN (
                        SELECT id FROM alert_outbox WHERE delivered_at IS NULL AND dropped_at IS NULL AND severity = ? ORDER BY created_at, id LIMIT ?)
                    """, arguments: [now, severity, excess])
                dropped += db.changesCount
                excess -= db.changesCount
            }
            return (inserted, dropped, cancelled)
        }
    }

    /// Undelivered, undropped rows due at `now` (their delivery time and backoff both passed), oldest first.
    public func dueAlertOutbox(at now: Int64) throws(HistoryError) -> [AlertOutboxRow] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM alert_outbox WHERE delivered_at IS NULL AND dropped_at IS NULL AND deliver_at <= ?1 AND next_attempt_at <= ?1
                ORDER BY id
                """, arguments: [now]).map(Self.outboxRow)
        }
    }

    /// Every row, delivered or not, oldest first (status and tests).
    public func alertOutbox() throws(HistoryError) -> [AlertOutboxRow] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM alert_outbox ORDER BY id").map(Self.outboxRow) }
    }

    /// Groups rows into one message: a row already in a digest keeps it.
    public func assignAlertDigest(_ ids: [Int64], digest: String) throws(HistoryError) {
        try write { db in
            for id in ids { try db.execute(sql: "UPDATE alert_outbox SET digest = ? WHERE id = ? AND digest IS NULL", arguments: [digest, id]) }
        }
    }

    public func markAlertsDelivered(_ ids: [Int64], at now: Int64) throws(HistoryError) {
        try write { db in
            for id in ids { try db.execute(sql: "UPDATE alert_outbox SET delivered_at = ?, last_error = NULL WHERE id = ?", arguments: [now, id]) }
        }
    }

    /// Records a failed attempt and when to try again.
    public func markAlertsFailed(_ ids: [Int64], nextAttemptAt: Int64, error: String) throws(HistoryError) {
        try write { db in
            for id in ids {
                try db.execute(sql: "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                               arguments: [nextAttemptAt, error, id])
            }
        }
    }

    public func alertOutboxCounts() throws(HistoryError) -> AlertOutboxCounts {
        try read { db in
            var counts = AlertOutboxCounts()
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*) FILTER (WHERE delivered_at IS NULL AND dropped_at IS NULL) AS pending,
                       count(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered,
                       coalesce(sum(attempts), 0) AS failed,
                       count(*) FILTER (WHERE dropped_at IS NOT NULL AND last_error = 'queue full') AS dropped,
                       count(*) FILTER (WHERE dropped_at IS NOT NULL AND last_error IS NOT 'queue full') AS cancelled
                FROM alert_outbox
                """)!
            counts.pending = row["pending"]
            counts.delivered = row["delivered"]
            counts.failedAttempts = row["failed"]
            counts.dropped = row["dropped"]
            counts.cancelled = row["cancelled"]
            for row in try Row.fetchAll(db, sql: "SELECT severity, count(*) AS n FROM alert_outbox WHERE last_error = 'queue full' AND dropped_at IS NOT NULL GROUP BY severity") {
                counts.droppedBySeverity[row["severity"]] = row["n"]
            }
            return counts
        }
    }

    static func outboxRow(_ row: Row) -> AlertOutboxRow {
        let payload: Data = row["payload"]
        var outbox = AlertOutboxRow(idempotencyKey: row["idempotency_key"], sink: row["sink"], target: row["target"], stateKey: row["state_key"],
                                    event: row["event"], severity: row["severity"], createdAt: row["created_at"], deliverAt: row["deliver_at"],
                                    payload: [UInt8](payload))
        outbox.id = row["id"]
        outbox.nextAttemptAt = row["next_attempt_at"]
        outbox.attempts = row["attempts"]
        outbox.digest = row["digest"]
        outbox.deliveredAt = row["delivered_at"]
        outbox.lastError = row["last_error"]
        return outbox
    }
}
