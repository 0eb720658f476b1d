import Foundation
import HeadroomConfig
import HeadroomEngine
import HeadroomHistory

/// One evaluation's decision: which alerts hold, how their states move, and the outbox rows
/// (one per notification and sink target, each with the time routing allows it to go out).
/// Pure: the same Assessment, stored states and `now` give the same decision.
public struct AlertDecision: Sendable {
    public var instances: [AlertInstance]
    public var step: AlertStateMachine.Step
    public var outbox: [AlertOutboxRow]
    /// Resolving warnings, by key, with when they started: if nothing of theirs went out yet
    /// (held for business hours), neither the alert nor its resolution is sent. Infos are not
    /// cancelled: the digest lists every one raised, and its resolution beside it.
    public var cancellable: [String: Int64]

    public init(_ configuration: AlertConfiguration, assessment: Assessment, stored: [String: AlertState], now: Int64) {
        let instances = AlertEvaluator.evaluate(configuration.rules, assessment, now: now)
        self.init(configuration, instances: instances, stored: stored, now: now)
    }

    public init(_ configuration: AlertConfiguration, instances: [AlertInstance], stored: [String: AlertState], now: Int64) {
        self.instances = instances
        step = AlertStateMachine.step(stored: stored, active: instances, now: now)
        let router = AlertRouter(configuration.schedule)
        let sinks = Dictionary(configuration.sinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [AlertOutboxRow] = []
        var cancellable: [String: Int64] = [:]
        let sinksOfState = Dictionary(step.states.map { ($0.key, $0.sinks) }, uniquingKeysWith: { first, _ in first })
        for notice in step.notifications {
            if notice.event == .resolved, notice.severity == .warning { cancellable[notice.key] = notice.startsAt }
            let payload = (try? JSONEncoder.sorted.encode(notice)).map { [UInt8]($0) } ?? []
            for name in sinksOfState[notice.key] ?? [] {
                guard let sink = sinks[name] else { continue }
                // Alertmanager routes and times notifications itself: it gets every change at once.
                let deliverAt: Int64
                if case .alertmanager = sink.kind { deliverAt = now } else { deliverAt = router.deliverAt(notice.severity, now: now) }
                for target in sink.targets {
                    rows.append(AlertOutboxRow(idempotencyKey: notice.idempotencyKey, sink: name, target: target, stateKey: notice.key,
                                               event: notice.event.rawValue, severity: notice.severity.rawValue, createdAt: now,
                                               deliverAt: deliverAt, payload: payload))
                }
            }
        }
        outbox = rows
        self.cancellable = cancellable
    }

    /// The changed states as the store keeps them.
    public var stateRows: [AlertStateRow] {
        step.states.map { state in
            AlertStateRow(key: state.key, status: state.status.rawValue, updatedAt: state.resolvedAt ?? state.lastNotifiedAt,
                          body: (try? JSONEncoder.sorted.encode(state)).map { [UInt8]($0) } ?? [])
        }
    }
}

extension JSONEncoder {
    /// Keys sorted, so equal values encode to equal bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
