import ArgumentParser
import Foundation
import HeadroomHTTP
import HeadroomReports

/// Where `report weekly` sends the report besides its files: an SMTP relay and a chat webhook.
struct ReportDeliveryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("SMTP relay: smtp://host:port (STARTTLS when offered) or smtps://host:port.", valueName: "url")) var smtp: String?
    @Option(help: ArgumentHelp("Sender address of the mail.", valueName: "address")) var from: String?
    @Option(help: ArgumentHelp("Recipients, comma-separated.", valueName: "addresses")) var to: String?
    @Option(help: ArgumentHelp("SMTP user for AUTH.", valueName: "user")) var smtpUser: String?
    @Option(help: ArgumentHelp("File holding the SMTP password (never on the command line).", valueName: "file")) var smtpPasswordFile: String?
    @Option(help: ArgumentHelp("CA file for the relay's certificate.", valueName: "file")) var smtpCa: String?
    @Flag(help: "Refuse to send mail over an unencrypted connection.") var smtpRequireTls = false
    @Option(help: ArgumentHelp("Slack-compatible incoming-webhook URL for a summary.", valueName: "url")) var post: String?
    @Option(help: "Attempts per delivery, with backoff from 1 s (1–10).") var attempts: Int = 3

    var wanted: Bool { smtp != nil || post != nil }

    var recipients: [String] {
        (to ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func check() throws {
        guard (1...10).contains(attempts) else { throw ValidationError("--attempts must be 1…10") }
        if let smtp {
            guard smtp.hasPrefix("smtp://") || smtp.hasPrefix("smtps://") else {
                throw ValidationError("--smtp: '\(smtp)' is not an smtp:// or smtps:// URL")
            }
            guard let from else { throw ValidationError("--smtp needs --from ADDRESS") }
            guard !recipients.isEmpty else { throw ValidationError("--smtp needs --to ADDRESS[,ADDRESS]") }
            for address in [from] + recipients where !Self.plausible(address) {
                throw ValidationError("'\(address)' is not a mail address (local@domain, no spaces or angle brackets)")
            }
            guard (smtpUser == nil) == (smtpPasswordFile == nil) else {
                throw ValidationError("--smtp-user and --smtp-password-file go together")
            }
        } else if from != nil || to != nil || smtpUser != nil || smtpPasswordFile != nil {
            throw ValidationError("--from, --to and the --smtp-… options need --smtp URL")
        }
        if let post, !(post.hasPrefix("http://") || post.hasPrefix("https://")) {
            throw ValidationError("--post: not an http(s) URL")
        }
    }

    /// `local@domain.tld` or `local@localhost`, without spaces, brackets, commas, semicolons or quotes.
    static func plausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") || parts[1] == "localhost" else { return false }
        return !address.contains { $0.isWhitespace || "<>,;\"".contains($0) }
    }

    /// The relay, envelope and webhook; the password read from its file.
    func settings() throws -> ReportDeliverySettings {
        var mail: MailEnvelope?
        if let smtp, let from {
            var password: String?
            if let smtpPasswordFile {
                do {
                    password = try String(contentsOfFile: smtpPasswordFile, encoding: .utf8).trimmingCharacters(in: .newlines)
                } catch {
                    throw ValidationError("cannot read the SMTP password file '\(smtpPasswordFile)'")
                }
            }
            mail = MailEnvelope(url: smtp, from: from, recipients: recipients, message: Data(), username: smtpUser, password: password, caFile: smtpCa,
                                requireTLS: smtpRequireTls)
        }
        return ReportDeliverySettings(mail: mail, post: post, attempts: attempts)
    }
}
