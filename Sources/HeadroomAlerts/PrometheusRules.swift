import HeadroomConfig

/// `headroom alerts rules`: the budget rules of an alert file as Prometheus alerting rules over
/// the service's `/metrics` (`headroom_budget_used_ratio`, `headroom_budget_projected_ratio`,
/// `headroom_budget_projected_p90_ratio`), for teams that route everything through Prometheus.
/// They carry the same alert names, severity, rule and threshold labels as Headroom's own.
/// Other kinds have no metric to watch and are left out (listed in `skipped`).
public enum PrometheusRules {
    public struct Group: Sendable, Hashable, Encodable {
        public var name: String
        public var rules: [Rule]
    }

    public struct Rule: Sendable, Hashable, Encodable {
        public var alert: String
        public var expr: String
        public var labels: [String: String]
        public var annotations: [String: String]
    }

    /// The group of alerting rules, and the rules left out with why.
    public static func group(for configuration: AlertConfiguration) -> (group: Group, skipped: [String]) {
        var rules: [Rule] = []
        var skipped: [String] = []
        for rule in configuration.rules {
            let matcher = rule.scope.budgets.isEmpty ? "" : "{budget=~\"" + rule.scope.budgets.map(escapeRegex).joined(separator: "|") + "\"}"
            var annotations: [String: String] = [:]
            if let runbook = rule.runbook { annotations["runbook_url"] = runbook }
            func labels(_ threshold: Int) -> [String: String] {
                ["severity": rule.severity.rawValue, "rule": rule.name, "threshold": "\(threshold)"]
            }
            switch rule.kind {
            case .budgetActual(let thresholds):
                for threshold in thresholds {
                    var notes = annotations
                    notes["summary"] = "Budget {{ $labels.budget }}: {{ $value | humanizePercentage }} of the month's budget spent"
                    notes["description"] = "Month-to-date spend of budget {{ $labels.budget }} has reached \(threshold) % of its monthly budget."
                    rules.append(Rule(alert: rule.kind.alertName, expr: "headroom_budget_used_ratio\(matcher) >= \(ratio(threshold))",
                                      labels: labels(threshold), annotations: notes))
                }
            case .budgetForecast(let percentile, let threshold):
                let metric = percentile == .p50 ? "headroom_budget_projected_ratio" : "headroom_budget_projected_p90_ratio"
                var notes = annotations
                notes["summary"] = "Budget {{ $labels.budget }}: month-end \(percentile.rawValue.uppercased()) projection is {{ $value | humanizePercentage }} of the budget"
                notes["description"] = "The projected month-end spend (\(percentile.rawValue.uppercased())) of budget {{ $labels.budget }} reaches \(threshold) % of its monthly budget."
                rules.append(Rule(alert: rule.kind.alertName, expr: "\(metric)\(matcher) >= \(ratio(threshold))", labels: labels(threshold), annotations: notes))
            default:
                skipped.append("\(rule.name) (\(rule.kind.alertName)): no metric of the service's /metrics carries it")
            }
        }
        return (Group(name: "headroom-budgets", rules: rules), skipped)
    }

    /// `80` → `0.8`, exactly as a decimal.
    static func ratio(_ percent: Int) -> String {
        let whole = percent / 100, rest = percent % 100
        return rest == 0 ? "\(whole)" : "\(whole)." + (rest % 10 == 0 ? "\(rest / 10)" : (rest < 10 ? "0\(rest)" : "\(rest)"))
    }

    /// A budget name as a literal inside a PromQL regex in a double-quoted string.
    static func escapeRegex(_ name: String) -> String {
        var out = ""
        for character in name {
            if "\\.^$|?*+()[]{}".contains(character) { out += "\\\\" }
            if character == "\"" { out += "\\" }
            out.append(character)
        }
        return out
    }
}
