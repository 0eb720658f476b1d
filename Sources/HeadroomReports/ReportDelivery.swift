import Foundation
import HeadroomHTTP

/// Sends a written report by mail and/or to a chat webhook, each retried with backoff: a refused
/// recipient or a dropped connection is tried again, and what still fails is named in the
/// outcome (the report files stay where they were written). Sending again sends the same message
/// (same Message-ID): delivery is at-least-once.
public struct ReportDelivery: Sendable {
    public var mail: MailEnvelope?
    /// A Slack-compatible incoming-webhook URL.
    public var post: String?
    public var attempts: Int
    public var firstRetryDelay: Duration

    public init(mail: MailEnvelope? = nil, post: String? = nil, attempts: Int = 3, firstRetryDelay: Duration = .seconds(1)) {
        self.mail = mail
        self.post = post
        self.attempts = max(1, attempts)
        self.firstRetryDelay = firstRetryDelay
    }

    /// What happened to each channel: the attempts it took, or the last error.
    public struct Outcome: Sendable {
        public var delivered: [String] = []
        /// `mail`, `post`: the channels that went through.
        public var deliveredChannels: Set<String> = []
        public var failures: [String] = []
        public var retries: [String] = []
    }

    /// Delivers on every channel but those in `skipping` (already delivered).
    public func deliver(_ report: WeeklyReport, skipping: Set<String> = [], mailSender: CurlMailSender = CurlMailSender(), http: any HTTPClient) async -> Outcome {
        var outcome = Outcome()
        if let mail, !skipping.contains("mail") {
            await attempt("mail", "mail to \(mail.recipients.joined(separator: ", "))", &outcome) { try await mailSender.send(mail) }
        }
        if let post, !skipping.contains("post") {
            let payload = ReportChatSummary.payload(report)
            await attempt("post", "post to \(Self.redacted(post))", &outcome) {
                let response: HTTPResponse
                do {
                    response = try await http.send(HTTPRequest(method: .post, url: post, headers: [("Content-Type", "application/json")], body: payload))
                } catch let error as HTTPClientError {
                    // Its description starts with the URL, whose path is the webhook's secret.
                    throw WebhookError(description: error.message)
                }
                guard (200..<300).contains(response.status) else {
                    throw WebhookError(description: "the webhook answered HTTP \(response.status)")
                }
            }
        }
        return outcome
    }

    private func attempt(_ key: String, _ channel: String, _ outcome: inout Outcome, _ body: () async throws -> Void) async {
        var delay = firstRetryDelay
        for number in 1...attempts {
            do {
                try await body()
                outcome.deliveredChannels.insert(key)
                outcome.delivered.append(number == 1 ? channel : "\(channel) (attempt \(number))")
                return
            } catch {
                if number == attempts {
                    outcome.failures.append("\(channel): \(error) (after \(attempts) attempts)")
                } else {
                    outcome.retries.append("\(channel): attempt \(number) failed: \(error); retrying in \(delay)")
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(60))
                }
            }
        }
    }

    /// Why the webhook did not take the summary (never with its URL, whose path is the secret).
    struct WebhookError: Error, CustomStringConvertible {
        var description: String
    }

    /// A webhook URL without its path (Slack's secret is the path) or credentials.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(webhook)" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.path = components.path.isEmpty ? "" : "/…"
        return components.string ?? "(webhook)"
    }
}

/// Where reports go, before there is a report: the mail envelope without its message, the
/// webhook, the attempts. The CLI and the service build the delivery of each report from it.
public struct ReportDeliverySettings: Sendable {
    /// The relay and envelope; its `message` is filled in per report.
    public var mail: MailEnvelope?
    public var post: String?
    public var attempts: Int

    public init(mail: MailEnvelope? = nil, post: String? = nil, attempts: Int = 3) {
        self.mail = mail
        self.post = post
        self.attempts = attempts
    }

    public var isEmpty: Bool { mail == nil && post == nil }

    /// `mail`, `post`: the channels configured.
    public var channels: Set<String> { Set((mail != nil ? ["mail"] : []) + (post != nil ? ["post"] : [])) }

    /// The delivery of one rendered report: its MIME message (HTML, Markdown, CSV attachments).
    public func delivery(for report: WeeklyReport, html: String, markdown: String) -> ReportDelivery {
        var envelope = mail
        if let mail {
            envelope?.message = ReportMail.message(report, html: html, markdown: markdown, attachments: ReportCSV.files(report), from: mail.from, to: mail.recipients)
        }
        return ReportDelivery(mail: envelope, post: post, attempts: attempts)
    }
}
