import Foundation
import HeadroomCore
import HeadroomCost

/// The alert file (example: models/alerts/alerts.example.yaml): rules, sinks and the routing
/// schedule, with every bad value reported at its line.
public enum AlertRulesFile {
    public static func load(_ path: String) throws(ConfigError) -> AlertConfiguration { try parse(LocatedYAML.load(path)) }

    public static func parse(_ document: LocatedYAML) throws(ConfigError) -> AlertConfiguration {
        var schedule = AlertSchedule()
        var evaluation: Int64 = 900
        var queueLimit = 10_000
        for (key, value) in try document.mapping(allowed: ["evaluationInterval", "queueLimit", "routing", "sinks", "rules"], what: "the alert file") {
            switch key {
            case "evaluationInterval": evaluation = try duration(value, "evaluationInterval")
            case "queueLimit": queueLimit = try value.integer(what: "queueLimit", in: 1...1_000_000)
            case "routing": schedule = try routing(value)
            default: break
            }
        }
        var sinks: [AlertSink] = []
        for (index, entry) in try document.required("sinks", in: "the alert file").sequence(what: "sinks").enumerated() {
            let sink = try self.sink(entry, what: "sinks[\(index)]")
            guard !sinks.contains(where: { $0.name == sink.name }) else { throw entry.fail("sink \"\(sink.name)\" is defined twice") }
            sinks.append(sink)
        }
        var rules: [AlertRule] = []
        let list = try document.required("rules", in: "the alert file")
        for (index, entry) in try list.sequence(what: "rules").enumerated() {
            let rule = try self.rule(entry, what: "rules[\(index)]", sinks: sinks)
            guard !rules.contains(where: { $0.name == rule.name }) else { throw entry.fail("rule \"\(rule.name)\" is defined twice") }
            rules.append(rule)
        }
        guard !rules.isEmpty else { throw list.fail("no rules") }
        return AlertConfiguration(rules: rules, sinks: sinks, schedule: schedule, evaluationSeconds: evaluation, queueLimit: queueLimit)
    }

    static let weekdayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]

    static func routing(_ node: LocatedYAML) throws(ConfigError) -> AlertSchedule {
        var schedule = AlertSchedule()
        for (key, value) in try node.mapping(allowed: ["timezone", "businessHours", "digestHour"], what: "routing") {
            switch key {
            case "timezone":
                let name = try value.string(what: "routing.timezone")
                guard TimeZone(identifier: name) != nil else { throw value.fail("routing.timezone \"\(name)\" is not a known time zone") }
                schedule.timeZone = name
            case "digestHour": schedule.digestHour = try value.integer(what: "routing.digestHour", in: 0...23)
            case "businessHours":
                for (hoursKey, hoursValue) in try value.mapping(allowed: ["start", "end", "weekdays"], what: "routing.businessHours") {
                    switch hoursKey {
                    case "start": schedule.startHour = try hoursValue.integer(what: "routing.businessHours.start", in: 0...23)
                    case "end": schedule.endHour = try hoursValue.integer(what: "routing.businessHours.end", in: 1...24)
                    default:
                        var days: Set<Int> = []
                        for day in try hoursValue.sequence(what: "routing.businessHours.weekdays") {
                            let text = try day.string(what: "routing.businessHours.weekdays[]").lowercased()
                            guard let number = weekdayNames[String(text.prefix(3))], text.count >= 3 else {
                                throw day.fail("\"\(text)\" is not a weekday (mon … sun)")
                            }
                            days.insert(number)
                        }
                        guard !days.isEmpty else { throw hoursValue.fail("routing.businessHours.weekdays is empty") }
                        schedule.weekdays = days
                    }
                }
                guard schedule.startHour < schedule.endHour else { throw value.fail("routing.businessHours: start must be before end") }
            default: break
            }
        }
        return schedule
    }

    static func sink(_ entry: LocatedYAML, what: String) throws(ConfigError) -> AlertSink {
        let fields = try entry.mapping(allowed: ["name", "type", "url", "urls", "secretFile", "timeout", "headers"], what: what)
        let name = try entry.required("name", in: what).string(what: "\(what).name")
        let typeNode = try entry.required("type", in: what)
        let type = try typeNode.string(what: "\(what).type")
        func url(_ node: LocatedYAML) throws(ConfigError) -> String {
            let text = try node.string(what: "\(what).url")
            guard text.hasPrefix("http://") || text.hasPrefix("https://") else { throw node.fail("\(what): \"\(text)\" is not an http:// or https:// URL") }
            return text
        }
        let kind: AlertSink.Kind
        switch type {
        case "alertmanager":
            var urls: [String] = []
            if let one = entry.optional("url") { urls.append(try url(one)) }
            if let many = entry.optional("urls") { for item in try many.sequence(what: "\(what).urls") { urls.append(try url(item)) } }
            guard !urls.isEmpty else { throw entry.fail("\(what) (alertmanager) needs url or urls") }
            kind = .alertmanager(urls: urls)
        case "webhook":
            kind = .webhook(url: try url(try entry.required("url", in: what)), secretFile: try entry.optional("secretFile")?.string(what: "\(what).secretFile"))
        case "slack":
            kind = .slack(url: try url(try entry.required("url", in: what)))
        default:
            throw typeNode.fail("\(what).type \"\(type)\" is not one of alertmanager, webhook, slack")
        }
        var sink = AlertSink(name: name, kind: kind)
        if let timeout = fields.first(where: { $0.key == "timeout" })?.value { sink.timeoutSeconds = try duration(timeout, "\(what).timeout") }
        if let headers = fields.first(where: { $0.key == "headers" })?.value {
            for (key, value) in try headers.mapping(what: "\(what).headers") { sink.headers[key] = try value.string(what: "\(what).headers.\(key)") }
        }
        return sink
    }

    static let kinds = ["budgetActual", "budgetForecast", "idleCost", "workloadRisk", "dataStaleness", "spendChange", "efficiency"]
    static let common: Set<String> = ["name", "kind", "severity", "repeat", "sinks", "runbook"]
    static let kindKeys: [String: Set<String>] = [
        "budgetActual": ["thresholds", "budgets"],
        "budgetForecast": ["percentile", "threshold", "budgets"],
        "idleCost": ["minimumMonthlyUSD", "minimumShare", "pools"],
        "workloadRisk": ["oomBuckets", "oomKills", "namespaces", "labels"],
        "dataStaleness": ["maxAge"],
        "spendChange": ["recentDays", "baselineDays", "minimumChangePercent", "minimumSpendUSD", "namespaces"],
        "efficiency": ["below", "minimumMonthlyUSD", "namespaces"],
    ]

    static func rule(_ entry: LocatedYAML, what: String, sinks: [AlertSink]) throws(ConfigError) -> AlertRule {
        let kindNode = try entry.required("kind", in: what)
        let kindName = try kindNode.string(what: "\(what).kind")
        guard let specific = kindKeys[kindName] else { throw kindNode.fail("\(what).kind \"\(kindName)\" is not one of \(kinds.joined(separator: ", "))") }
        _ = try entry.mapping(allowed: common.union(specific), what: "\(what) (\(kindName))")
        let name = try entry.required("name", in: what).string(what: "\(what).name")
        var scope = AlertScope()
        func strings(_ key: String) throws(ConfigError) -> [String] {
            guard let node = entry.optional(key) else { return [] }
            var values: [String] = []
            for item in try node.sequence(what: "\(what).\(key)") { values.append(try item.string(what: "\(what).\(key)[]")) }
            return values
        }
        scope.budgets = try strings("budgets")
        scope.namespaces = try strings("namespaces")
        scope.pools = try strings("pools")
        if let labels = entry.optional("labels") {
            for (key, value) in try labels.mapping(what: "\(what).labels") { scope.labels[key] = try value.string(what: "\(what).labels.\(key)") }
        }
        let kind: AlertRuleKind
        var severity: AlertSeverity = .warning
        switch kindName {
        case "budgetActual":
            kind = .budgetActual(thresholds: try entry.optional("thresholds").map { node throws(ConfigError) in try BudgetFile.percentages(node, what: "\(what).thresholds") } ?? [50, 80, 100])
        case "budgetForecast":
            var percentile = AlertRuleKind.ProjectionPercentile.p50
            if let node = entry.optional("percentile") {
                let text = try node.string(what: "\(what).percentile")
                guard let value = AlertRuleKind.ProjectionPercentile(rawValue: text) else { throw node.fail("\(what).percentile \"\(text)\" is not p50 or p90") }
                percentile = value
            }
            kind = .budgetForecast(percentile: percentile, thresholdPercent: try entry.optional("threshold")?.integer(what: "\(what).threshold", in: 1...1000) ?? 100)
        case "idleCost":
            let amount = try usd(entry.optional("minimumMonthlyUSD"), "\(what).minimumMonthlyUSD")
            let share = try entry.optional("minimumShare")?.number(what: "\(what).minimumShare", in: 0...1)
            guard amount != nil || share != nil else { throw entry.fail("\(what) (idleCost) needs minimumMonthlyUSD or minimumShare") }
            kind = .idleCost(minimumMonthly: amount, minimumShare: share)
        case "workloadRisk":
            let buckets = try entry.optional("oomBuckets")?.integer(what: "\(what).oomBuckets", in: 1...1_000_000)
            let kills = try entry.optional("oomKills")?.integer(what: "\(what).oomKills", in: 1...1_000_000)
            kind = .workloadRisk(oomBuckets: buckets ?? (kills == nil ? 1 : nil), oomKills: kills)
            severity = .critical
        case "spendChange":
            kind = .spendChange(recentDays: try entry.optional("recentDays")?.integer(what: "\(what).recentDays", in: 1...31) ?? 7,
                                baselineDays: try entry.optional("baselineDays")?.integer(what: "\(what).baselineDays", in: 1...90) ?? 7,
                                minimumChangePercent: try entry.optional("minimumChangePercent")?.integer(what: "\(what).minimumChangePercent", in: 1...100_000) ?? 25,
                                minimumSpend: try usd(entry.optional("minimumSpendUSD"), "\(what).minimumSpendUSD") ?? 10_000_000)
        case "efficiency":
            guard let below = entry.optional("below") else { throw entry.fail("\(what) (efficiency) needs below (a ratio, such as 0.5)") }
            kind = .efficiency(below: try below.number(what: "\(what).below", in: 0...10),
                               minimumMonthly: try usd(entry.optional("minimumMonthlyUSD"), "\(what).minimumMonthlyUSD") ?? 50_000_000)
        default:
            guard let maxAge = entry.optional("maxAge") else { throw entry.fail("\(what) (dataStaleness) needs maxAge") }
            kind = .dataStaleness(maxAgeSeconds: try duration(maxAge, "\(what).maxAge"))
            severity = .critical
        }
        if let node = entry.optional("severity") {
            let text = try node.string(what: "\(what).severity")
            guard let value = AlertSeverity(rawValue: text) else { throw node.fail("\(what).severity \"\(text)\" is not one of critical, warning, info") }
            severity = value
        }
        var repeatSeconds: Int64 = 86_400
        if let node = entry.optional("repeat") {
            let text = try node.string(what: "\(what).repeat")
            if text == "never" || text == "0" { repeatSeconds = 0 } else { repeatSeconds = try duration(node, "\(what).repeat") }
        }
        let sinkNode = try entry.required("sinks", in: what)
        var names: [String] = []
        for item in try sinkNode.sequence(what: "\(what).sinks") {
            let sinkName = try item.string(what: "\(what).sinks[]")
            guard sinks.contains(where: { $0.name == sinkName }) else {
                throw item.fail("\(what): unknown sink \"\(sinkName)\" (defined: \(sinks.map(\.name).joined(separator: ", ")))")
            }
            names.append(sinkName)
        }
        guard !names.isEmpty else { throw sinkNode.fail("\(what).sinks is empty") }
        return AlertRule(name: name, kind: kind, severity: severity, scope: scope, repeatSeconds: repeatSeconds, sinks: names,
                         runbook: try entry.optional("runbook")?.string(what: "\(what).runbook"), line: entry.line)
    }

    /// A non-negative USD amount in microdollars, if given.
    static func usd(_ node: LocatedYAML?, _ what: String) throws(ConfigError) -> Int64? {
        guard let node else { return nil }
        let text = try node.string(what: what)
        guard !text.hasPrefix("-") else { throw node.fail("\(what) \(text) is negative") }
        guard let value = Money.microdollars(text) else { throw node.fail("\(what) \"\(text)\" is not a USD amount") }
        return value
    }

    static func duration(_ value: LocatedYAML, _ key: String) throws(ConfigError) -> Int64 {
        let text = try value.string(what: key)
        let seconds: Int64
        do { seconds = try DurationParser.seconds(text) } catch { throw value.fail("\(key): \(error.description)") }
        guard seconds >= 1 else { throw value.fail("\(key) must be at least 1s") }
        return seconds
    }
}
