import ArgumentParser
import Foundation
import HeadroomAlerts
import Yams

/// `headroom alerts rules`: the alert file's budget rules as Prometheus alerting rules.
struct AlertsRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Write the budget rules as Prometheus alerting rules over the service's /metrics (a PrometheusRule, or a plain rule file).",
        discussion: """
            For teams that route every alert through Prometheus: the budgetActual and budgetForecast rules become alerting rules over headroom_budget_used_ratio, headroom_budget_projected_ratio and headroom_budget_projected_p90_ratio, which 'headroom serve --budgets' exports, with the same alert names and labels (severity, rule, threshold) as Headroom's own. Other rule kinds are left out, and listed on stderr.

            Examples:
              headroom alerts rules --rules alerts.yaml > prometheusrule.yaml
              headroom alerts rules --rules alerts.yaml --format rules > headroom.rules.yml
              promtool check rules headroom.rules.yml
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case prometheusrule, rules }

    @OptionGroup var rules: AlertRulesOption
    @Option(help: "prometheusrule (the Prometheus Operator's resource) or rules (a Prometheus rule file).") var format: Format = .prometheusrule
    @Option(help: "Namespace of the PrometheusRule.") var namespace = "headroom"
    @Option(help: "Name of the PrometheusRule.") var name = "headroom-budgets"

    struct RuleFile: Encodable { var groups: [PrometheusRules.Group] }
    struct Resource: Encodable {
        struct Metadata: Encodable {
            var name: String
            var namespace: String
            var labels: [String: String]
        }
        var apiVersion = "monitoring.coreos.com/v1"
        var kind = "PrometheusRule"
        var metadata: Metadata
        var spec: RuleFile
    }

    func run() throws {
        let (group, skipped) = PrometheusRules.group(for: try rules.load())
        for rule in skipped { FileHandle.standardError.write(Data("headroom: alerts rules: left out \(rule)\n".utf8)) }
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = true
        let file = RuleFile(groups: [group])
        switch format {
        case .rules: print(try encoder.encode(file), terminator: "")
        case .prometheusrule:
            print(try encoder.encode(Resource(metadata: .init(name: name, namespace: namespace, labels: ["app.kubernetes.io/name": "headroom"]), spec: file)),
                  terminator: "")
        }
    }
}
