import Foundation
import HeadroomHTTP
@testable import HeadroomReports
import HeadroomTesting
import Testing

/// The report by mail through a real SMTP server on loopback (scripts/smtp-sink, aiosmtpd): the
/// message it receives parses as MIME with every part; STARTTLS and AUTH are used when offered;
/// refused recipients and dropped connections fail clearly and are retried.
@Suite struct ReportMailTests {
    static func message(to recipients: [String] = ["finops@example.com"]) async throws -> (report: WeeklyReport, data: Data) {
        let report = ReportRenderingTests.report()
        let renderer = try await ReportRenderer(templates: ReportRenderingTests.templates)
        let data = ReportMail.message(report, html: renderer.html(report), markdown: renderer.markdown(report), attachments: ReportCSV.files(report),
                                      from: "headroom@example.com", to: recipients)
        return (report, data)
    }

    @Test("over STARTTLS with AUTH: one message with the HTML, its text alternative and every CSV file attached")
    func roundTrip() async throws {
        let ca = try TestCertificateAuthority()
        let sink = try await SMTPSink(tls: (ca.serverCertificate, ca.serverKey), auth: "reports:s3cret")
        let (report, data) = try await Self.message(to: ["finops@example.com", "sre@example.com"])
        try await CurlMailSender().send(MailEnvelope(url: sink.url, from: "headroom@example.com", recipients: ["finops@example.com", "sre@example.com"],
                                                     message: data, username: "reports", password: "s3cret", caFile: ca.caCertificate, requireTLS: true))
        let messages = try sink.messages()
        try #require(messages.count == 1)
        let received = messages[0]
        #expect(received["tls"] as? Bool == true, "STARTTLS was offered and used")
        #expect(received["authenticated"] as? Bool == true)
        #expect(received["rcptTos"] as? [String] == ["finops@example.com", "sre@example.com"])
        #expect((received["defects"] as? [Any])?.isEmpty == true, "\(received["defects"] ?? "")")
        #expect(received["messageId"] as? String == ReportMail.messageID(report))
        #expect((received["subject"] as? String)?.hasPrefix("Headroom weekly cost report 2026-W47, demo:") == true)
        let parts = (received["parts"] as? [[String: Any]] ?? [])
        #expect(parts.prefix(4).map { $0["contentType"] as? String ?? "" } == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"])
        let attachments = parts.compactMap { $0["filename"] as? String }
        #expect(attachments == ReportCSV.files(report).map(\.name))
        let html = parts.first { $0["contentType"] as? String == "text/html" }?["text"] as? String ?? ""
        #expect(html.contains("&lt;script&gt;") && !html.contains("<script"), "the HTML part is the escaped report")
        let spend = parts.first { $0["filename"] as? String == "spend.csv" }?["text"] as? String ?? ""
        #expect(spend.contains("cluster,cost,\(ReportFormat.plainDollars(report.spend.totalMicrodollars)),USD"))
    }

    @Test("a refused recipient fails the send with the server's reply, and nothing is delivered")
    func refusedRecipient() async throws {
        let sink = try await SMTPSink(refuse: ["gone@example.com"])
        let (_, data) = try await Self.message(to: ["finops@example.com", "gone@example.com"])
        let error = await #expect(throws: MailError.self) {
            try await CurlMailSender().send(MailEnvelope(url: sink.url, from: "headroom@example.com", recipients: ["finops@example.com", "gone@example.com"], message: data))
        }
        #expect(error?.description.contains("550") == true, "\(String(describing: error))")
        #expect(try sink.messages().isEmpty)
    }

    @Test("a connection the server drops fails clearly; a password never appears in the error")
    func droppedConnection() async throws {
        let sink = try await SMTPSink(drop: ["finops@example.com"])
        let (_, data) = try await Self.message()
        let error = await #expect(throws: MailError.self) {
            try await CurlMailSender().send(MailEnvelope(url: "smtp://user:hunter2@127.0.0.1:\(sink.port)", from: "headroom@example.com",
                                                         recipients: ["finops@example.com"], message: data, username: "user", password: "hunter2"))
        }
        #expect(error?.description.contains("127.0.0.1:\(sink.port)") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test("a relay that is down at first: retried with backoff, delivered on a later attempt")
    func retried() async throws {
        let port = try freeLoopbackPort()
        let (report, data) = try await Self.message()
        let delivery = ReportDelivery(mail: MailEnvelope(url: "smtp://127.0.0.1:\(port)", from: "headroom@example.com", recipients: ["finops@example.com"], message: data),
                                      attempts: 4, firstRetryDelay: .seconds(1))
        async let outcome = delivery.deliver(report, http: CurlHTTPClient())
        try await Task.sleep(for: .milliseconds(300))
        let sink = try await SMTPSink(port: port)
        let result = await outcome
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.delivered.count == 1 && result.delivered[0].contains("(attempt "), "\(result.delivered)")
        #expect(result.retries.first?.contains("retrying") == true)
        #expect(try sink.messages().count == 1)
    }

    @Test("the chat summary is Slack's {\"text\": …}, names escaped for Slack, posted to a real receiver")
    func chatSummary() async throws {
        let receiver = try WebhookReceiver { _, _ in true }
        let report = ReportRenderingTests.report()
        let outcome = await ReportDelivery(post: "\(receiver.url)/hooks/T000/B000/secret", attempts: 1).deliver(report, http: CurlHTTPClient())
        #expect(outcome.failures.isEmpty && outcome.delivered.count == 1, "\(outcome)")
        #expect(outcome.delivered[0].contains("secret") == false, "the webhook's secret path is not printed")
        let body = try #require(receiver.accepted.first?.body)
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("*Headroom weekly cost report 2026-W47, demo:"))
        #expect(text.contains("&lt;script&gt;") && !text.contains("<script"))
    }
}
