import HeadroomAlerts
import HeadroomEngine
import HeadroomHistory
import Logging

/// The service's alerting after each published Assessment: one `alerts run` pass (decide, store
/// the outbox, send what is due), logged in one line and counted in `/metrics`. A failure is
/// logged; the notices already decided stay in the outbox for the next cycle.
public struct AlertCycle: Sendable {
    let store: any HistoryBackend
    let sender: AlertSender
    let logger: Logger
    let metrics: ServiceMetrics

    public init(store: any HistoryBackend, sender: AlertSender, logger: Logger, metrics: ServiceMetrics) {
        self.store = store
        self.sender = sender
        self.logger = logger
        self.metrics = metrics
    }

    public func runLogged(_ assessment: Assessment, now: Int64) async {
        do {
            let outcome = try await AlertRunner.run(store, assessment: assessment, sender: sender, now: now)
            let counts = try await store.alertOutboxCounts()
            metrics.recordAlerts(firing: outcome.firing.count, sent: outcome.delivery.rowsDelivered, failed: outcome.delivery.messagesFailed,
                                 queueLength: counts.pending, dropped: outcome.dropped)
            logger.info("alerts", metadata: [
                "firing": "\(outcome.firing.count)", "critical": "\(outcome.firing.filter { $0.severity == .critical }.count)",
                "notices": "\(outcome.notifications.count)", "sent": "\(outcome.delivery.rowsDelivered)", "failed": "\(outcome.delivery.messagesFailed)",
                "queued": "\(counts.pending)", "dropped": "\(outcome.dropped)",
            ])
            for failure in outcome.delivery.failures + outcome.resendFailures {
                logger.warning("alert not delivered, will retry", metadata: ["failure": "\(failure)"])
            }
        } catch {
            metrics.recordAlerts(firing: nil, sent: 0, failed: 1, queueLength: nil, dropped: 0)
            logger.error("alerts", metadata: ["error": "\(error)"])
        }
    }
}
