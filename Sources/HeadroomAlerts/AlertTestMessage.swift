import HeadroomConfig
import HeadroomEngine

/// `headroom alerts test`: the message a rule would send now, marked as a test.
public enum AlertTestMessage {
    /// The rule's first firing scope with current data, or a notice that it does not fire.
    public static func notification(rule: AlertRule, assessment: Assessment, now: Int64) -> AlertNotification {
        let instance = AlertEvaluator.instances(of: rule, in: assessment, now: now).first
            ?? AlertInstance(rule: rule, scope: [:], summary: "Rule \(rule.name) does not fire with the current data",
                             description: "Test message for rule \(rule.name) (\(rule.kind.alertName)): no scope meets its condition in the assessment at this moment.")
        var state = AlertState(firing: instance, at: now)
        state.summary = "[TEST] " + state.summary
        return AlertNotification(event: .test, state: state, decidedAt: now)
    }
}
