import HeadroomAlerts
import HeadroomConfig
import Testing

/// OK → FIRING → RESOLVED: a change notifies once, a firing alert again only after its repeat
/// interval, a resolution once.
@Suite struct AlertStateMachineTests {
    static let rule = AlertRule(name: "dev-forecast", kind: .budgetForecast(percentile: .p50, thresholdPercent: 100), severity: .critical,
                                repeatSeconds: 3_600, sinks: ["hook"])
    static let instance = AlertInstance(rule: rule, scope: ["budget": "development", "threshold": "100"], summary: "over", description: "projected over")

    func apply(_ step: AlertStateMachine.Step, to states: inout [String: AlertState]) {
        for state in step.states { states[state.key] = state }
    }

    @Test("a new alert notifies once; the next evaluations inside the repeat interval notify nothing")
    func firesOnce() {
        var states: [String: AlertState] = [:]
        let first = AlertStateMachine.step(stored: states, active: [Self.instance], now: 1_000)
        #expect(first.notifications.map(\.event) == [.firing])
        #expect(first.notifications.first?.labels == ["alertname": "HeadroomBudgetForecast", "severity": "critical", "rule": "dev-forecast",
                                                     "budget": "development", "threshold": "100"])
        apply(first, to: &states)
        for now in stride(from: Int64(1_900), to: 4_600, by: 900) {
            #expect(AlertStateMachine.step(stored: states, active: [Self.instance], now: now).notifications.isEmpty, "at \(now)")
        }
    }

    @Test("still firing after the repeat interval: notified again, with a new idempotency key, then quiet for another interval")
    func repeats() {
        var states: [String: AlertState] = [:]
        apply(AlertStateMachine.step(stored: states, active: [Self.instance], now: 1_000), to: &states)
        let again = AlertStateMachine.step(stored: states, active: [Self.instance], now: 4_600)
        #expect(again.notifications.map(\.event) == [.repeated])
        #expect(again.notifications.first?.idempotencyKey == #"dev-forecast{budget="development",threshold="100"}|repeated|4600"#)
        #expect(again.notifications.first?.startsAt == 1_000, "it still started at 1,000")
        apply(again, to: &states)
        #expect(AlertStateMachine.step(stored: states, active: [Self.instance], now: 8_100).notifications.isEmpty)
        #expect(AlertStateMachine.step(stored: states, active: [Self.instance], now: 8_200).notifications.map(\.event) == [.repeated])
    }

    @Test("gone from the evaluation: resolved once, with its start and end; back again: a new firing")
    func resolves() {
        var states: [String: AlertState] = [:]
        apply(AlertStateMachine.step(stored: states, active: [Self.instance], now: 1_000), to: &states)
        let resolved = AlertStateMachine.step(stored: states, active: [], now: 2_000)
        #expect(resolved.notifications.map(\.event) == [.resolved])
        #expect(resolved.notifications.first.map { ($0.startsAt, $0.endsAt) } ?? (0, nil) == (1_000, 2_000))
        apply(resolved, to: &states)
        #expect(AlertStateMachine.step(stored: states, active: [], now: 3_000).notifications.isEmpty, "resolved stays quiet")
        let back = AlertStateMachine.step(stored: states, active: [Self.instance], now: 4_000)
        #expect(back.notifications.map(\.event) == [.firing] && back.notifications.first?.startsAt == 4_000)
    }

    @Test("a rule that never repeats notifies a day-long firing once")
    func neverRepeats() {
        var rule = Self.rule
        rule.repeatSeconds = 0
        let instance = AlertInstance(rule: rule, scope: ["budget": "development"], summary: "s", description: "d")
        var states: [String: AlertState] = [:]
        apply(AlertStateMachine.step(stored: states, active: [instance], now: 0), to: &states)
        #expect(AlertStateMachine.step(stored: states, active: [instance], now: 86_400).notifications.isEmpty)
    }
}
