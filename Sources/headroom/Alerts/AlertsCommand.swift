import ArgumentParser
import Foundation
import HeadroomAlerts
import HeadroomConfig
import HeadroomEngine
import HeadroomHTTP
import HeadroomHistory

/// `headroom alerts`: budget and risk alerts over the assessment, with their state and delivery.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Evaluate alert rules over the assessment, keep their state and deliver notifications (Alertmanager, webhooks, Slack).",
        discussion: """
            Rules (models/alerts/alerts.example.yaml) watch the assessment's budgets (actual month-to-date spend and the month-end projection), idle pool cost, replayed OOM risk and data staleness. Each (rule, scope) is a state machine OK → FIRING → RESOLVED stored in the history store: a change notifies once, a firing alert again only after its repeat interval, and a restart notifies nothing again. Critical notices go out at once, warnings in business hours, infos in one daily digest; Alertmanager gets every change at once and routes it itself. Decisions and their notices are written in one transaction and sent from that outbox, retried with backoff, each with an idempotency key.

            Examples:
              headroom alerts run --rules alerts.yaml --budgets budgets.yaml
              headroom alerts status
              headroom alerts test --rules alerts.yaml --rule budget-forecast --sink hook
            """,
        subcommands: [AlertsRunCommand.self, AlertsStatusCommand.self, AlertsTestCommand.self, AlertsRulesCommand.self]
    )
}

/// The rule file option every alerts subcommand that evaluates takes.
struct AlertRulesOption: ParsableArguments {
    @Option(help: "Alert rule file (YAML): rules, sinks and routing.") var rules: String

    func load() throws -> AlertConfiguration {
        do { return try AlertRulesFile.load(rules) } catch { throw ValidationError(error.description) }
    }
}

struct AlertsRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "One evaluation and delivery pass, safe from cron; exit 3 while a critical alert fires.",
        discussion: """
            Computes the assessment (the same as 'headroom assess' with the same flags), moves every alert's state, queues the notices and sends what is due. A notice that cannot be sent stays queued and is retried by the next run (30 s doubling to 1 h). Every alert carries its cluster (a label and part of its key): a run for one cluster moves only that cluster's alerts. With --clusters (all, or a comma-separated list) one run assesses each cluster and decides, queues and sends for all of them at once. Exit codes: 0 nothing critical firing, 1 failure, 2 bad rule file or flags, 3 a critical alert is firing.

            Examples:
              headroom alerts run --rules alerts.yaml --budgets budgets.yaml
              headroom alerts run --rules alerts.yaml --budgets budgets.yaml --clusters all
              headroom alerts run --rules alerts.yaml --no-send   # decide, queue
              headroom alerts run --rules alerts.yaml -o json | jq '.firing'
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var fleet: FleetOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var rules: AlertRulesOption
    @OptionGroup var options: AssessmentOptions
    @Option(help: "The moment to evaluate at, unix seconds (default: now).") var now: Int64?
    @Flag(help: "Decide and queue only; send nothing (a later run or the service sends).") var noSend = false

    func validate() throws {
        try fleet.validate(with: cluster)
    }

    func run() async throws {
        let alertConfiguration = try rules.load()
        let configuration = try options.configuration()
        let at = now ?? Int64(Date().timeIntervalSince1970)
        let history: any HistoryBackend
        var engines: [Engine] = []
        if let names = fleet.selection {
            history = try await store.openBackend(existing: true)
            for name in try await EngineCall.run({ try await Engine.clusters(names, in: history) }) {
                engines.append(Engine(store: history, cluster: name))
            }
        } else {
            let engine = try await cluster.engine(store)
            history = engine.store
            engines = [engine]
        }
        var instances: [AlertInstance] = []
        for engine in engines {
            let assessment = try await EngineCall.run { try await engine.assess(configuration, now: at) }
            instances += AlertEvaluator.evaluate(alertConfiguration.rules, assessment, now: at)
        }
        let sender = AlertSender(configuration: alertConfiguration, client: CurlHTTPClient(configuration: HTTPClientConfiguration()))
        let outcome = try await AlertRunner.run(history, instances: instances.sorted { $0.key < $1.key }, clusters: Set(engines.map(\.cluster)),
                                                sender: sender, now: at, send: !noSend)
        let summary = AlertsRunSummary(outcome, at: at)
        print(try Render.output(summary, format: output.format) { summary.table }, terminator: "")
        for failure in outcome.delivery.failures + outcome.resendFailures {
            FileHandle.standardError.write(Data("headroom: alerts: not delivered, will retry: \(failure)\n".utf8))
        }
        if outcome.criticalFiring { throw ExitCode(ExitStatus.policyViolation) }
    }
}

struct AlertsStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The alert state table and the outbox: what fires, since when, what is queued, sent, failed and dropped.",
        discussion: """
            Examples:
              headroom alerts status
              headroom alerts status -o json | jq '.alerts[] | select(.status == "firing")'
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let history = try await store.openBackend(existing: true)
        let states = try await AlertRunner.states(history).values.sorted { $0.key < $1.key }
        let status = AlertsStatus(alerts: states.map(AlertsStatus.Alert.init), outbox: .init(try await history.alertOutboxCounts()))
        print(try Render.output(status, format: output.format) { status.table }, terminator: "")
    }
}

struct AlertsTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Render a rule's real message with current data and send it to one sink, marked as a test.",
        discussion: """
            The message is what the rule would send now (its first firing scope), or, when the rule does not fire, a notice saying so; either way marked as a test ("test": true, label test="true", [TEST]). No state changes and nothing is queued.

            Examples:
              headroom alerts test --rules alerts.yaml --budgets budgets.yaml \\
                --rule budget-forecast --sink finops-webhook
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var rules: AlertRulesOption
    @OptionGroup var options: AssessmentOptions
    @Option(help: "The rule whose message is sent.") var rule: String
    @Option(help: "The sink it is sent to.") var sink: String
    @Option(help: "The moment to evaluate at, unix seconds (default: now).") var now: Int64?

    func run() async throws {
        let alertConfiguration = try rules.load()
        guard let chosen = alertConfiguration.rules.first(where: { $0.name == rule }) else {
            throw ValidationError("--rule \(rule): no such rule in \(rules.rules) (rules: \(alertConfiguration.rules.map(\.name).joined(separator: ", ")))")
        }
        guard let target = alertConfiguration.sinks.first(where: { $0.name == sink }) else {
            throw ValidationError("--sink \(sink): no such sink in \(rules.rules) (sinks: \(alertConfiguration.sinks.map(\.name).joined(separator: ", ")))")
        }
        let engine = try await cluster.engine(store)
        let at = now ?? Int64(Date().timeIntervalSince1970)
        let assessment = try await EngineCall.run { try await engine.assess(try options.configuration(), now: at) }
        let notice = AlertTestMessage.notification(rule: chosen, assessment: assessment, now: at)
        let sender = AlertSender(configuration: alertConfiguration, client: CurlHTTPClient(configuration: HTTPClientConfiguration()))
        for url in target.targets {
            do {
                try await sender.send([notice], to: target, target: url, idempotencyKey: notice.idempotencyKey, digest: false, now: at)
            } catch {
                throw PartialFailure(message: "alerts test: \(sink) (\(AlertSender.origin(url))) did not take the message: \((error as? HTTPClientError)?.message ?? "\(error)")")
            }
            print("sent to \(sink) (\(AlertSender.origin(url))): \(notice.summary)")
        }
    }
}
