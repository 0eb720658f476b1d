import HeadroomConfig

/// One (rule, scope)'s state between evaluations: firing since `startsAt`, or resolved at
/// `resolvedAt`. Never firing is the absence of a state (OK).
public struct AlertState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable { case firing, resolved }
    public var key: String
    public var rule: String
    public var severity: AlertSeverity
    public var labels: [String: String]
    public var summary: String
    public var description: String
    public var runbook: String?
    public var sinks: [String]
    public var status: Status
    public var startsAt: Int64
    public var lastNotifiedAt: Int64
    public var resolvedAt: Int64?

    init(firing instance: AlertInstance, at now: Int64) {
        key = instance.key
        rule = instance.rule
        severity = instance.severity
        labels = instance.labels
        summary = instance.summary
        description = instance.description
        runbook = instance.runbook
        sinks = instance.sinks
        status = .firing
        startsAt = now
        lastNotifiedAt = now
        resolvedAt = nil
    }

    /// Takes the instance's current text and routing; keeps when it started.
    mutating func refresh(from instance: AlertInstance) {
        severity = instance.severity
        labels = instance.labels
        summary = instance.summary
        description = instance.description
        runbook = instance.runbook
        sinks = instance.sinks
    }
}

/// The OK → FIRING → RESOLVED machine of every (rule, scope): a pure step from the stored states
/// and this evaluation's instances to the states to store and the notifications to send.
public enum AlertStateMachine {
    public struct Step: Sendable, Hashable {
        /// States that changed (to be stored).
        public var states: [AlertState]
        public var notifications: [AlertNotification]
    }

    /// - A new instance (no state, or resolved) starts firing and notifies once.
    /// - A firing one notifies again only once its repeat interval has passed since the last notice.
    /// - A firing state without an instance resolves and notifies its resolution.
    public static func step(stored: [String: AlertState], active: [AlertInstance], now: Int64) -> Step {
        var changed: [AlertState] = []
        var notifications: [AlertNotification] = []
        let activeKeys = Set(active.map(\.key))
        for instance in active {
            if var state = stored[instance.key], state.status == .firing {
                let before = state
                state.refresh(from: instance)
                if instance.repeatSeconds > 0, now - state.lastNotifiedAt >= instance.repeatSeconds {
                    state.lastNotifiedAt = now
                    notifications.append(AlertNotification(event: .repeated, state: state, decidedAt: now))
                }
                if state != before { changed.append(state) }
            } else {
                let state = AlertState(firing: instance, at: now)
                changed.append(state)
                notifications.append(AlertNotification(event: .firing, state: state, decidedAt: now))
            }
        }
        for (key, var state) in stored.sorted(by: { $0.key < $1.key }) where state.status == .firing && !activeKeys.contains(key) {
            state.status = .resolved
            state.resolvedAt = now
            changed.append(state)
            notifications.append(AlertNotification(event: .resolved, state: state, decidedAt: now))
        }
        return Step(states: changed, notifications: notifications)
    }
}
