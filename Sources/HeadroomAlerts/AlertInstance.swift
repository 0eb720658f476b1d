import HeadroomConfig

/// One (rule, scope) whose condition holds now: what a firing alert says. Its `key` identifies
/// it across evaluations (the state machine's row), its labels identify it to Alertmanager.
public struct AlertInstance: Sendable, Hashable {
    public var rule: String
    public var severity: AlertSeverity
    /// `rule` and the scope's labels, stable from one evaluation to the next.
    public var key: String
    /// `alertname`, `severity`, `rule` and the scope (`cluster`, `budget`, `namespace`, `pool`, `workload`, `threshold`).
    public var labels: [String: String]
    public var summary: String
    public var description: String
    public var runbook: String?
    public var sinks: [String]
    /// Seconds after which a firing alert is notified again; 0 never.
    public var repeatSeconds: Int64

    public init(rule: AlertRule, scope: [String: String], summary: String, description: String) {
        self.rule = rule.name
        severity = rule.severity
        var labels = scope
        labels["alertname"] = rule.kind.alertName
        labels["severity"] = rule.severity.rawValue
        labels["rule"] = rule.name
        self.labels = labels
        key = AlertInstance.key(rule: rule.name, scope: scope)
        self.summary = summary
        self.description = description
        runbook = rule.runbook
        sinks = rule.sinks
        repeatSeconds = rule.repeatSeconds
    }

    /// The same instance scoped to `cluster` (its `cluster` label and key).
    public func inCluster(_ cluster: String) -> AlertInstance {
        var scoped = self
        scoped.labels["cluster"] = cluster
        scoped.key = AlertInstance.key(rule: rule, scope: scoped.labels.filter { !Self.ruleLabels.contains($0.key) })
        return scoped
    }

    /// The labels every instance has besides its scope.
    static let ruleLabels: Set<String> = ["alertname", "severity", "rule"]

    /// `rule{k1="v1",k2="v2"}` with the scope's labels sorted by name.
    public static func key(rule: String, scope: [String: String]) -> String {
        rule + "{" + scope.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }
}
