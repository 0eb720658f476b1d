import Foundation
import HeadroomConfig
import HeadroomEngine
import HeadroomHistory

/// One evaluation and delivery pass, what `headroom alerts run` and each service cycle do:
/// decide (states and outbox rows stored in one transaction, so nothing decided is lost if the
/// process dies), send what is due, and re-send firing alerts to Alertmanager.
public enum AlertRunner {
    public struct Outcome: Sendable {
        public var firing: [AlertState]
        public var notifications: [AlertNotification]
        public var queued = 0
        public var dropped = 0
        public var cancelled = 0
        public var delivery = AlertSender.Report()
        public var resendFailures: [String] = []

        /// What `alerts run` exits 3 on.
        public var criticalFiring: Bool { firing.contains { $0.severity == .critical } }
    }

    public static func run(_ store: any HistoryBackend, assessment: Assessment, sender: AlertSender, now: Int64, send: Bool = true) async throws -> Outcome {
        let instances = AlertEvaluator.evaluate(sender.configuration.rules, assessment, now: now)
        return try await run(store, instances: instances, clusters: [assessment.metadata.cluster], sender: sender, now: now, send: send)
    }

    /// The same pass from the alert instances an evaluation of `clusters` found (nil: every
    /// cluster's). Only the stored alerts of those clusters move: an alert of a cluster not
    /// evaluated is neither resolved nor notified again. An alert stored without a cluster (from
    /// before alerts carried one) belongs to every evaluation, so it resolves once.
    public static func run(_ store: any HistoryBackend, instances: [AlertInstance], clusters: Set<String>?, sender: AlertSender, now: Int64,
                           send: Bool = true) async throws -> Outcome {
        let configuration = sender.configuration
        let stored = try await states(store).filter { _, state in
            guard let clusters, let cluster = state.labels["cluster"] else { return true }
            return clusters.contains(cluster)
        }
        let decision = AlertDecision(configuration, instances: instances, stored: stored, now: now)
        let recorded = try await store.recordAlertDecision(states: decision.stateRows, outbox: decision.outbox, cancellable: decision.cancellable,
                                                     limit: configuration.queueLimit, dropOrder: [AlertSeverity.info.rawValue, AlertSeverity.warning.rawValue], at: now)
        // The states now stored: those read before, with this decision's changes.
        var after = stored
        for state in decision.step.states { after[state.key] = state }
        var outcome = Outcome(firing: after.values.filter { $0.status == .firing }.sorted { $0.key < $1.key }, notifications: decision.step.notifications)
        outcome.queued = recorded.inserted
        outcome.dropped = recorded.dropped
        outcome.cancelled = recorded.cancelled
        guard send else { return outcome }
        outcome.delivery = try await sender.deliver(store, now: now)
        // Alerts that started in this run went out with the outbox just now.
        outcome.resendFailures = await sender.resendFiring(outcome.firing.filter { $0.startsAt < now }, now: now)
        return outcome
    }

    /// The stored states by key.
    public static func states(_ store: any HistoryBackend) async throws -> [String: AlertState] {
        let decoder = JSONDecoder()
        var states: [String: AlertState] = [:]
        for row in try await store.alertStates() {
            do { states[row.key] = try decoder.decode(AlertState.self, from: Data(row.body)) } catch {
                throw AlertError("history store \(store.location): alert state \(row.key) is unreadable (\(error))")
            }
        }
        return states
    }
}
