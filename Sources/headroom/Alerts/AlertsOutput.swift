import Foundation
import HeadroomAlerts
import HeadroomHistory

/// What `alerts run` prints: the alerts firing after the pass, the notices decided and the delivery.
struct AlertsRunSummary: Encodable {
    var evaluatedAt: Int64
    var firing: [AlertsStatus.Alert]
    var notices: [Notice]
    var queued: Int
    var droppedQueueFull: Int
    var cancelled: Int
    var messagesSent: Int
    var noticesDelivered: Int
    var messagesFailed: Int

    struct Notice: Encodable {
        var event: String
        var key: String
        var severity: String
        var summary: String
    }

    init(_ outcome: AlertRunner.Outcome, at: Int64) {
        evaluatedAt = at
        firing = outcome.firing.map(AlertsStatus.Alert.init)
        notices = outcome.notifications.map { Notice(event: $0.event.rawValue, key: $0.key, severity: $0.severity.rawValue, summary: $0.summary) }
        queued = outcome.queued
        droppedQueueFull = outcome.dropped
        cancelled = outcome.cancelled
        messagesSent = outcome.delivery.messagesSent
        noticesDelivered = outcome.delivery.rowsDelivered
        messagesFailed = outcome.delivery.messagesFailed
    }

    var table: String {
        var notices = TextTable(headers: ["EVENT", "SEVERITY", "ALERT", "SUMMARY"])
        notices.rows = self.notices.map { [$0.event, $0.severity, $0.key, $0.summary] }
        return "Alerts at \(isoTime(evaluatedAt)): \(firing.count) firing (\(firing.filter { $0.severity == "critical" }.count) critical); "
            + "\(self.notices.count) notice(s) decided, \(queued) queued, \(noticesDelivered) delivered in \(messagesSent) message(s), \(messagesFailed) message(s) failed (retried later)"
            + (droppedQueueFull > 0 ? ", \(droppedQueueFull) dropped (queue full)" : "") + (cancelled > 0 ? ", \(cancelled) cancelled (resolved before due)" : "") + ".\n"
            + (self.notices.isEmpty ? "" : notices.render())
    }
}

/// What `alerts status` prints: every alert's state and the outbox totals.
struct AlertsStatus: Encodable {
    struct Alert: Encodable {
        var key: String
        var rule: String
        var severity: String
        var status: String
        var since: Int64
        var lastNotifiedAt: Int64
        var resolvedAt: Int64?
        var summary: String

        init(_ state: AlertState) {
            key = state.key
            rule = state.rule
            severity = state.severity.rawValue
            status = state.status.rawValue
            since = state.startsAt
            lastNotifiedAt = state.lastNotifiedAt
            resolvedAt = state.resolvedAt
            summary = state.summary
        }
    }
    struct Outbox: Encodable {
        var pending: Int
        var delivered: Int
        var failedAttempts: Int
        var droppedQueueFull: Int
        var cancelled: Int

        init(_ counts: AlertOutboxCounts) {
            pending = counts.pending
            delivered = counts.delivered
            failedAttempts = counts.failedAttempts
            droppedQueueFull = counts.dropped
            cancelled = counts.cancelled
        }
    }
    var alerts: [Alert]
    var outbox: Outbox

    var table: String {
        var table = TextTable(headers: ["STATUS", "SEVERITY", "ALERT", "SINCE (UTC)", "LAST NOTICE (UTC)", "SUMMARY"])
        table.rows = alerts.map { [$0.status, $0.severity, $0.key, isoTime($0.since), isoTime($0.lastNotifiedAt), $0.summary] }
        return (alerts.isEmpty ? "No alert has fired yet.\n" : table.render())
            + "Outbox: \(outbox.pending) waiting, \(outbox.delivered) delivered, \(outbox.failedAttempts) failed attempt(s), \(outbox.droppedQueueFull) dropped (queue full), \(outbox.cancelled) cancelled.\n"
    }
}
