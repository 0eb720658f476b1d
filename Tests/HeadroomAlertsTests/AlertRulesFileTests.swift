import Foundation
import HeadroomConfig
import Testing

/// The alert file: the shipped example reads, and every mistake names its file and line.
@Suite struct AlertRulesFileTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/alerts/alerts.example.yaml").path

    static let sinks = """
        sinks:
          - name: hook
            type: webhook
            url: http://127.0.0.1:9/hook
        """

    func parse(_ text: String) throws(ConfigError) -> AlertConfiguration { try AlertRulesFile.parse(LocatedYAML.parse(text, file: "alerts.yaml")) }

    @Test("the example file reads: seven rules of seven kinds, two sinks, Berlin business hours")
    func example() throws {
        let configuration = try AlertRulesFile.load(Self.example)
        #expect(configuration.rules.map(\.name) == ["budget-spent", "budget-forecast", "idle-pools", "spend-jump", "low-efficiency", "oom-risk", "stale-data"])
        #expect(configuration.rules[0].kind == .budgetActual(thresholds: [50, 80, 100]) && configuration.rules[0].severity == .warning)
        #expect(configuration.rules[1].kind == .budgetForecast(percentile: .p50, thresholdPercent: 100) && configuration.rules[1].severity == .critical)
        #expect(configuration.rules[2].kind == .idleCost(minimumMonthly: 50_000_000, minimumShare: 0.3))
        #expect(configuration.rules[3].kind == .spendChange(recentDays: 7, baselineDays: 14, minimumChangePercent: 25, minimumSpend: 20_000_000))
        #expect(configuration.rules[4].kind == .efficiency(below: 0.2, minimumMonthly: 100_000_000) && configuration.rules[4].severity == .info)
        #expect(configuration.rules[5].kind == .workloadRisk(oomBuckets: 1, oomKills: 1) && configuration.rules[5].severity == .critical)
        #expect(configuration.rules[6].kind == .dataStaleness(maxAgeSeconds: 1_800) && configuration.rules[6].severity == .critical, "staleness is critical by default")
        #expect(configuration.sinks.map(\.name) == ["alertmanager", "finops-webhook"])
        #expect(configuration.schedule == AlertSchedule(timeZone: "Europe/Berlin", startHour: 9, endHour: 17, weekdays: [1, 2, 3, 4, 5], digestHour: 8))
        #expect(configuration.evaluationSeconds == 900 && configuration.rules[1].repeatSeconds == 43_200)
    }

    @Test("an unknown key is an error at its line")
    func unknownKey() {
        #expect(throws: ConfigError(file: "alerts.yaml", line: 8, reason: "unknown key \"treshold\" in rules[0] (budgetForecast) (known: budgets, kind, name, percentile, repeat, runbook, severity, sinks, threshold)")) {
            try parse(Self.sinks + """

                rules:
                  - name: dev
                    kind: budgetForecast
                    treshold: 90
                    sinks: [hook]
                """)
        }
    }

    @Test("a negative threshold is an error at its line")
    func negativeThreshold() {
        #expect(throws: ConfigError(file: "alerts.yaml", line: 8, reason: "rules[0].thresholds[] -10 is outside 1…1000")) {
            try parse(Self.sinks + """

                rules:
                  - name: spent
                    kind: budgetActual
                    thresholds: [-10, 50]
                    sinks: [hook]
                """)
        }
    }

    @Test("a rule naming a sink that is not defined is an error at its line")
    func unknownSink() {
        #expect(throws: ConfigError(file: "alerts.yaml", line: 9, reason: "rules[0]: unknown sink \"slack\" (defined: hook)")) {
            try parse(Self.sinks + """

                rules:
                  - name: stale
                    kind: dataStaleness
                    maxAge: 30m
                    sinks: [hook, slack]
                """)
        }
    }

    @Test("an unknown time zone, severity or sink type is refused", arguments: [
        ("routing: {timezone: Mars/Olympus}\n", "routing.timezone \"Mars/Olympus\" is not a known time zone"),
        ("", "rules[0].severity \"urgent\" is not one of critical, warning, info"),
    ])
    func refused(prefix: String, reason: String) {
        let severity = prefix.isEmpty ? "urgent" : "critical"
        do {
            _ = try parse(prefix + Self.sinks + "\nrules:\n  - {name: s, kind: dataStaleness, maxAge: 1h, severity: \(severity), sinks: [hook]}\n")
            Issue.record("accepted")
        } catch {
            #expect(error.reason == reason && error.line != nil)
        }
    }
}
