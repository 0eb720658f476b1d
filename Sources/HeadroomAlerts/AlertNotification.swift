import HeadroomConfig

/// A decided notification: what one transition of one alert says, fixed when it is decided so
/// every retry sends the same message. Stored in the outbox, rendered per sink when sent.
public struct AlertNotification: Sendable, Hashable, Codable {
    public enum Event: String, Sendable, Hashable, Codable {
        /// The alert started firing.
        case firing
        /// Still firing after the rule's repeat interval.
        case repeated
        case resolved
        /// `headroom alerts test`: the real message, marked as a test.
        case test
    }
    public var event: Event
    public var key: String
    public var rule: String
    public var severity: AlertSeverity
    public var labels: [String: String]
    public var summary: String
    public var description: String
    public var runbook: String?
    /// When the alert started firing, unix seconds.
    public var startsAt: Int64
    /// When it resolved (resolved notifications only).
    public var endsAt: Int64?
    public var decidedAt: Int64
    /// Receivers deduplicate on it: the same decision always carries the same key.
    public var idempotencyKey: String

    public init(event: Event, state: AlertState, decidedAt: Int64) {
        self.event = event
        key = state.key
        rule = state.rule
        severity = state.severity
        labels = state.labels
        summary = state.summary
        description = state.description
        runbook = state.runbook
        startsAt = state.startsAt
        endsAt = event == .resolved ? state.resolvedAt : nil
        self.decidedAt = decidedAt
        idempotencyKey = "\(state.key)|\(event.rawValue)|\(event == .firing ? state.startsAt : decidedAt)"
    }
}
