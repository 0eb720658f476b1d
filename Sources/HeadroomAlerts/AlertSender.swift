import Foundation
import HeadroomConfig
import HeadroomHTTP
import HeadroomHistory

/// Drains the outbox: sends every row that is due to its sink target, marks what was accepted
/// (2xx) delivered and backs the rest off exponentially with jitter. Infos for webhooks and
/// Slack due at the same digest time go out as one message. Every message carries an
/// idempotency key, so a receiver that deduplicates sees each notification once even when an
/// answer is lost and the send is repeated (at-least-once delivery).
public struct AlertSender: Sendable {
    public struct Report: Sendable, Hashable {
        /// Messages accepted, and the outbox rows they carried.
        public var messagesSent = 0
        public var rowsDelivered = 0
        public var messagesFailed = 0
        /// `sink target: reason` of each failure.
        public var failures: [String] = []
    }

    public let configuration: AlertConfiguration
    let client: any HTTPClient
    /// A number in [0, 1) for the backoff's jitter (injected: tests pass a fixed one).
    let jitter: @Sendable () -> Double
    /// Reads a webhook's secret file (the edge: tests and the service read real files).
    let secret: @Sendable (String) throws -> [UInt8]

    public static let firstBackoffSeconds: Int64 = 30
    public static let maximumBackoffSeconds: Int64 = 3_600

    public init(configuration: AlertConfiguration, client: any HTTPClient, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                secret: @escaping @Sendable (String) throws -> [UInt8] = AlertSender.readSecret) {
        self.configuration = configuration
        self.client = client
        self.jitter = jitter
        self.secret = secret
    }

    /// The wait before attempt `attempts + 1`: 30 s doubling up to an hour, scaled by 0.5–1.
    public static func backoff(attempts: Int, jitter: Double) -> Int64 {
        let base = min(maximumBackoffSeconds, firstBackoffSeconds << min(attempts, 20))
        return max(1, Int64(Double(base) * (0.5 + 0.5 * min(max(jitter, 0), 1))))
    }

    public static func readSecret(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw AlertError("cannot read the webhook secret file \(path)") }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 10 || last == 13 || last == 32 { bytes.removeLast() }
        guard !bytes.isEmpty else { throw AlertError("the webhook secret file \(path) is empty") }
        return bytes
    }

    public func deliver(_ store: any HistoryBackend, now: Int64) async throws -> Report {
        var report = Report()
        let sinks = Dictionary(configuration.sinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let decoder = JSONDecoder()
        var groups: [(sink: AlertSink, target: String, rows: [AlertOutboxRow], digest: Bool)] = []
        var digestIndex: [String: Int] = [:]
        for row in try await store.dueAlertOutbox(at: now) {
            guard let sink = sinks[row.sink] else {
                try await store.markAlertsFailed([row.id].compactMap { $0 }, nextAttemptAt: now + Self.maximumBackoffSeconds,
                                           error: "sink \(row.sink) is no longer configured")
                continue
            }
            var isAlertmanager = false
            if case .alertmanager = sink.kind { isAlertmanager = true }
            if row.severity == AlertSeverity.info.rawValue, !isAlertmanager, row.event != AlertNotification.Event.test.rawValue {
                let digest = "digest|\(row.sink)|\(row.target)|\(row.deliverAt)"
                if let index = digestIndex[digest] { groups[index].rows.append(row) } else {
                    digestIndex[digest] = groups.count
                    groups.append((sink, row.target, [row], true))
                }
            } else {
                groups.append((sink, row.target, [row], false))
            }
        }
        for group in groups {
            let notices = group.rows.compactMap { try? decoder.decode(AlertNotification.self, from: Data($0.payload)) }
            let key = group.digest ? "digest|\(group.sink.name)|\(group.rows[0].deliverAt)" : group.rows[0].idempotencyKey
            let ids = group.rows.compactMap(\.id)
            do {
                try await send(notices, to: group.sink, target: group.target, idempotencyKey: key, digest: group.digest, now: now)
                try await store.markAlertsDelivered(ids, at: now)
                report.messagesSent += 1
                report.rowsDelivered += ids.count
            } catch let error as HistoryError {
                throw error
            } catch {
                let attempts = group.rows.map(\.attempts).max() ?? 0
                let reason = Self.reason(error)
                try await store.markAlertsFailed(ids, nextAttemptAt: now + Self.backoff(attempts: attempts, jitter: jitter()), error: reason)
                report.messagesFailed += 1
                report.failures.append("\(group.sink.name) (\(Self.origin(group.target))): \(reason)")
            }
        }
        return report
    }

    /// Re-sends every firing alert to each Alertmanager of its sinks, as Alertmanager expects of
    /// a client (its `endsAt` moves ahead); no retry: the next run sends again. Failures are returned.
    public func resendFiring(_ states: [AlertState], now: Int64) async -> [String] {
        var failures: [String] = []
        for sink in configuration.sinks {
            guard case .alertmanager(let urls) = sink.kind else { continue }
            let firing = states.filter { $0.status == .firing && $0.sinks.contains(sink.name) }
            guard !firing.isEmpty else { continue }
            let notices = firing.map { AlertNotification(event: .repeated, state: $0, decidedAt: now) }
            for url in urls {
                do { try await send(notices, to: sink, target: url, idempotencyKey: "resend|\(now)", digest: false, now: now) } catch {
                    failures.append("\(sink.name) (\(Self.origin(url))): \(Self.reason(error))")
                }
            }
        }
        return failures
    }

    /// A failure without the URL (a Slack or webhook URL is itself a secret).
    static func reason(_ error: any Error) -> String { (error as? HTTPClientError)?.message ?? "\(error)" }

    /// `scheme://host:port` of a target, the part of it safe to log.
    public static func origin(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return "?" }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// Sends one message and throws unless the target answers 2xx.
    public func send(_ notices: [AlertNotification], to sink: AlertSink, target: String, idempotencyKey: String, digest: Bool, now: Int64) async throws {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Idempotency-Key", idempotencyKey)]
        headers += sink.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let body: [UInt8]
        let url: String
        switch sink.kind {
        case .alertmanager:
            body = SinkMessages.alertmanager(notices, now: now, evaluationSeconds: configuration.evaluationSeconds)
            url = target.hasSuffix("/") ? target + "api/v2/alerts" : target + "/api/v2/alerts"
        case .webhook(_, let secretFile):
            let event = digest ? "digest" : notices.first?.event.rawValue ?? "firing"
            body = SinkMessages.webhook(notices, event: event, idempotencyKey: idempotencyKey)
            if let secretFile { headers.append(("X-Headroom-Signature", SinkMessages.signature(body, secret: try secret(secretFile)))) }
            url = target
        case .slack:
            body = SinkMessages.slack(notices, digest: digest)
            url = target
        }
        let response = try await client.send(HTTPRequest(method: .post, url: url, headers: headers, body: Data(body), timeout: .seconds(sink.timeoutSeconds)))
        guard (200..<300).contains(response.status) else {
            throw AlertError("HTTP \(response.status): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
    }
}

/// An alerting failure, said in one line.
public struct AlertError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
