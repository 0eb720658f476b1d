import Foundation
import HeadroomAlerts
import HeadroomConfig
import HeadroomHTTP
import HeadroomHistory
import HeadroomTesting
import Testing

/// The outbox against a real loopback receiver and a real SQLite store, on an injected clock:
/// retries, backoff, business hours, the digest and the queue bound.
@Suite struct AlertDeliveryTests {
    static let secret = "webhook-secret-42"

    /// A receiver checking the signature under `secret`.
    static func receiver(port: UInt16 = 0, answering statuses: [Int] = []) throws -> WebhookReceiver {
        try WebhookReceiver(port: port, answering: statuses) { body, signature in SinkMessages.signature(body, secret: Array(secret.utf8)) == signature }
    }

    /// A store, a secret file and a configuration sending every rule to one webhook.
    struct Setup {
        let directory: TemporaryDirectory
        let store: HistoryStore
        let configuration: AlertConfiguration
        let sender: AlertSender

        init(webhook url: String, rules: [AlertRule], queueLimit: Int = 10_000) throws {
            directory = try TemporaryDirectory()
            store = try HistoryStore(path: directory.file("h.sqlite"))
            let secretFile = try directory.write("secret", AlertDeliveryTests.secret + "\n")
            configuration = AlertConfiguration(
                rules: rules, sinks: [AlertSink(name: "hook", kind: .webhook(url: url, secretFile: secretFile), timeoutSeconds: 5)],
                schedule: AlertSchedule(timeZone: "Europe/Berlin", startHour: 9, endHour: 17, weekdays: [1, 2, 3, 4, 5], digestHour: 8),
                queueLimit: queueLimit)
            sender = AlertSender(configuration: configuration, client: CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(5))),
                                 jitter: { 0.5 })
        }

        /// One `alerts run` pass at `now` with these alerts holding.
        @discardableResult
        func run(_ instances: [AlertInstance], at now: Int64) async throws -> AlertRunner.Outcome {
            try await AlertRunner.run(store, instances: instances, clusters: nil, sender: sender, now: now)
        }
    }

    static func rule(_ name: String, _ severity: AlertSeverity) -> AlertRule {
        AlertRule(name: name, kind: .budgetActual(thresholds: [80]), severity: severity, repeatSeconds: 86_400, sinks: ["hook"])
    }

    static func instance(_ rule: AlertRule, budget: String) -> AlertInstance {
        AlertInstance(rule: rule, scope: ["budget": budget, "threshold": "80"], summary: "\(budget) at 80 %", description: "\(budget) spent 80 % of its budget")
    }

    /// Unix seconds of an ISO 8601 time with its offset.
    static func at(_ text: String) -> Int64 { Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970) }

    static let monday10 = at("2026-12-07T10:00:00+01:00")

    @Test("a receiver answering 500 and then 200: one notification delivered, after the backoff, signed")
    func retriedOnce() async throws {
        let receiver = try Self.receiver(answering: [500])
        let critical = Self.rule("dev", .critical)
        let setup = try Setup(webhook: receiver.url, rules: [critical])
        defer { setup.directory.remove() }
        let active = [Self.instance(critical, budget: "development")]

        let first = try await setup.run(active, at: Self.monday10)
        #expect(first.delivery.messagesFailed == 1 && first.delivery.messagesSent == 0)
        // 30 s × (0.5 + 0.5 × 0.5) = 22 s of backoff: not tried again before it.
        #expect(try await setup.run(active, at: Self.monday10 + 20).delivery.messagesSent == 0)
        #expect(receiver.received.count == 1)
        let retried = try await setup.run(active, at: Self.monday10 + 22)
        #expect(retried.delivery.messagesSent == 1 && retried.notifications.isEmpty, "the retry sends the decision of the first run; nothing new is decided")
        try await setup.run(active, at: Self.monday10 + 600)
        #expect(receiver.received.count == 2 && receiver.accepted.count == 1)
        let delivered = try receiver.delivered()
        #expect(delivered.count == 1 && delivered.first?["event"] as? String == "firing")
        #expect(try setup.store.alertOutboxCounts().failedAttempts == 1)
    }

    @Test("a receiver down for 2 minutes: retried with backoff, delivered once when it is back")
    func receiverDown() async throws {
        let port = try freeLoopbackPort()
        let critical = Self.rule("dev", .critical)
        let setup = try Setup(webhook: "http://127.0.0.1:\(port)/hook", rules: [critical])
        defer { setup.directory.remove() }
        let active = [Self.instance(critical, budget: "development")]
        var failed = 0
        for second in stride(from: Int64(0), to: 120, by: 15) {
            failed += try await setup.run(active, at: Self.monday10 + second).delivery.messagesFailed
        }
        #expect(failed == 3, "runs every 15 s try at 0, 30 and 75 s (backoffs of 22, 45 and 90 s); the next is due at 165 s")
        let receiver = try Self.receiver(port: port)
        var sent = 0
        for second in stride(from: Int64(120), to: 600, by: 15) {
            sent += try await setup.run(active, at: Self.monday10 + second).delivery.messagesSent
        }
        let deliveredCount = try receiver.delivered().count
        #expect(sent == 1 && receiver.received.count == 1 && deliveredCount == 1)
    }

    @Test("a warning raised at 22:00 goes out at the next business-hours start, not before")
    func warningAtNight() async throws {
        let receiver = try Self.receiver()
        let warning = Self.rule("spent", .warning)
        let setup = try Setup(webhook: receiver.url, rules: [warning])
        defer { setup.directory.remove() }
        let active = [Self.instance(warning, budget: "staging")]
        let tuesday22 = Self.at("2026-12-08T22:00:00+01:00"), wednesday9 = Self.at("2026-12-09T09:00:00+01:00")
        for now in stride(from: tuesday22, to: wednesday9, by: 900) { try await setup.run(active, at: now) }
        #expect(receiver.received.isEmpty, "held through the night")
        try await setup.run(active, at: wednesday9)
        let event = try receiver.delivered().first?["event"] as? String
        #expect(receiver.received.count == 1 && event == "firing")
    }

    @Test("a warning that resolves before business hours is dropped, and so is its resolution")
    func warningResolvedAtNight() async throws {
        let receiver = try Self.receiver()
        let warning = Self.rule("spent", .warning)
        let setup = try Setup(webhook: receiver.url, rules: [warning])
        defer { setup.directory.remove() }
        let night = Self.at("2026-12-08T22:00:00+01:00")
        try await setup.run([Self.instance(warning, budget: "staging")], at: night)
        let resolved = try await setup.run([], at: night + 3_600)
        #expect(resolved.notifications.map(\.event) == [.resolved] && resolved.cancelled == 1)
        try await setup.run([], at: Self.at("2026-12-09T09:00:00+01:00"))
        #expect(receiver.received.isEmpty)
        let counts = try setup.store.alertOutboxCounts()
        #expect(counts.cancelled == 1 && counts.pending == 0)
    }

    @Test("the daily digest holds exactly the infos raised since the last one, in one message")
    func digest() async throws {
        let receiver = try Self.receiver()
        var idle = Self.rule("idle", .info)
        idle.repeatSeconds = 0  // no reminders: each digest holds only what was raised since the last
        let setup = try Setup(webhook: receiver.url, rules: [idle])
        defer { setup.directory.remove() }
        let monday = Self.at("2026-12-07T08:00:00+01:00")
        // Raised Monday 09:00, 13:00 and 21:00, the last one resolved at 23:00 (listed, with its resolution).
        var active: [AlertInstance] = []
        for (hour, pool) in [(1, "frontend"), (5, "backend"), (13, "data")] {
            active.append(Self.instance(idle, budget: pool))
            try await setup.run(active, at: monday + Int64(hour) * 3_600)
        }
        #expect(receiver.received.isEmpty)
        let beforeDigest = try await setup.run(Array(active.prefix(2)), at: monday + 15 * 3_600)
        #expect(beforeDigest.notifications.map(\.event) == [.resolved])
        // Tuesday 08:00: one message; then one more info raised at 09:00 waits for Wednesday.
        try await setup.run(Array(active.prefix(2)), at: monday + 86_400)
        #expect(receiver.received.count == 1)
        let digest = try #require(try receiver.delivered().first)
        #expect(digest["event"] as? String == "digest")
        let alerts = try #require(digest["alerts"] as? [[String: Any]])
        #expect(alerts.map { "\($0["event"] as? String ?? "") \($0["key"] as? String ?? "")" } == [
            #"firing idle{budget="frontend",threshold="80"}"#, #"firing idle{budget="backend",threshold="80"}"#,
            #"firing idle{budget="data",threshold="80"}"#, #"resolved idle{budget="data",threshold="80"}"#])
        try await setup.run(Array(active.prefix(2)) + [Self.instance(idle, budget: "spot")], at: monday + 86_400 + 3_600)
        try await setup.run(Array(active.prefix(2)) + [Self.instance(idle, budget: "spot")], at: monday + 2 * 86_400 - 60)
        #expect(receiver.received.count == 1)
        try await setup.run(Array(active.prefix(2)) + [Self.instance(idle, budget: "spot")], at: monday + 2 * 86_400)
        let second = try receiver.delivered()
        #expect(second.count == 2)
        #expect((second.last?["alerts"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == [#"idle{budget="spot",threshold="80"}"#])
    }

    @Test("past the queue limit infos are dropped first, oldest first, and counted; criticals stay")
    func queueBound() async throws {
        let port = try freeLoopbackPort()  // nothing listens: everything stays queued
        let info = Self.rule("idle", .info), critical = Self.rule("dev", .critical)
        let setup = try Setup(webhook: "http://127.0.0.1:\(port)/hook", rules: [info, critical], queueLimit: 3)
        defer { setup.directory.remove() }
        let active = [Self.instance(critical, budget: "a"), Self.instance(critical, budget: "b"), Self.instance(info, budget: "x"), Self.instance(info, budget: "y")]
        let outcome = try await setup.run(active, at: Self.monday10)
        #expect(outcome.queued == 4 && outcome.dropped == 1)
        let counts = try setup.store.alertOutboxCounts()
        #expect(counts.pending == 3 && counts.dropped == 1 && counts.droppedBySeverity == ["info": 1])
        #expect(try setup.store.alertOutbox().filter { $0.lastError == "queue full" }.map(\.stateKey) == [#"idle{budget="x",threshold="80"}"#])
    }

    @Test("a process that dies between the decision and the send (decided, stored, nothing sent): the next run sends it exactly once")
    func decidedNotSent() async throws {
        let receiver = try Self.receiver()
        let critical = Self.rule("dev", .critical)
        let setup = try Setup(webhook: receiver.url, rules: [critical])
        defer { setup.directory.remove() }
        let active = [Self.instance(critical, budget: "development")]
        let decided = try await AlertRunner.run(setup.store, instances: active, clusters: nil, sender: setup.sender, now: Self.monday10, send: false)
        #expect(decided.notifications.map(\.event) == [.firing] && decided.queued == 1 && receiver.received.isEmpty)
        let reopened = try HistoryStore(path: setup.directory.file("h.sqlite"))
        let next = try await AlertRunner.run(reopened, instances: active, clusters: nil, sender: setup.sender, now: Self.monday10 + 60)
        #expect(next.notifications.isEmpty && next.delivery.messagesSent == 1)
        try await AlertRunner.run(reopened, instances: active, clusters: nil, sender: setup.sender, now: Self.monday10 + 120)
        #expect(receiver.received.count == 1)
    }

    @Test("a second pass over the same decision stores no duplicate notice; a restart re-notifies nothing")
    func noDuplicates() async throws {
        let receiver = try Self.receiver()
        let critical = Self.rule("dev", .critical)
        let setup = try Setup(webhook: receiver.url, rules: [critical])
        defer { setup.directory.remove() }
        let active = [Self.instance(critical, budget: "development")]
        try await setup.run(active, at: Self.monday10)
        // A new process on the same store file: the state is read back, so nothing is new.
        let reopened = try HistoryStore(path: setup.directory.file("h.sqlite"))
        let again = try await AlertRunner.run(reopened, instances: active, clusters: nil, sender: setup.sender, now: Self.monday10 + 900)
        #expect(again.notifications.isEmpty && again.queued == 0)
        let rows = try reopened.alertOutbox().count
        #expect(receiver.received.count == 1 && rows == 1)
    }

    @Test("Slack: one message per notice with text and blocks, answered ok; a sink slower than its timeout fails and is retried")
    func slackAndTimeout() async throws {
        let slow = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200, body: Data("ok".utf8), fault: .delay(.seconds(3))) }
        let slack = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 200, body: Data("ok".utf8)) }
        let critical = Self.rule("dev", .critical)
        var slackRule = critical
        slackRule.sinks = ["slack", "slow"]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        let configuration = AlertConfiguration(rules: [slackRule], sinks: [
            AlertSink(name: "slack", kind: .slack(url: slack.url + "/services/T000/B000/XXXX"), timeoutSeconds: 5),
            AlertSink(name: "slow", kind: .slack(url: slow.url + "/hook"), timeoutSeconds: 1),
        ])
        let sender = AlertSender(configuration: configuration, client: CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(30))), jitter: { 0 })
        let instance = AlertInstance(rule: slackRule, scope: ["budget": "development", "threshold": "100"], summary: "development over budget", description: "projected <b>114 %</b>")
        let outcome = try await AlertRunner.run(store, instances: [instance], clusters: nil, sender: sender, now: Self.monday10)
        #expect(outcome.delivery.messagesSent == 1 && outcome.delivery.messagesFailed == 1)
        #expect(outcome.delivery.failures.first?.hasPrefix("slow (http://127.0.0.1:\(slow.port)): ") == true, "the URL's path (a Slack secret) stays out: \(outcome.delivery.failures)")
        let body = try #require(slack.requests.first?.body)
        let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(message["text"] as? String == "[CRITICAL] development over budget")
        let blocks = try #require(message["blocks"] as? [[String: Any]])
        #expect(blocks.count == 2 && blocks[0]["type"] as? String == "header")
        #expect(((blocks[1]["text"] as? [String: Any])?["text"] as? String)?.contains("projected &lt;b&gt;114 %&lt;/b&gt;") == true, "Slack's control characters escaped")
        // The timed-out one waits 15 s (30 s × 0.5), then goes again.
        #expect(try await AlertRunner.run(store, instances: [instance], clusters: nil, sender: sender, now: Self.monday10 + 14).delivery.messagesFailed == 0)
        #expect(try await AlertRunner.run(store, instances: [instance], clusters: nil, sender: sender, now: Self.monday10 + 15).delivery.messagesFailed == 1)
        #expect(slow.requests.count == 2 && slack.requests.count == 1)
    }
}
