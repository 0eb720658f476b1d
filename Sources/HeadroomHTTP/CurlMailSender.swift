import CCurl
import Dispatch
import Foundation

/// One message to hand to an SMTP relay: the envelope and the whole RFC 5322 message.
public struct MailEnvelope: Sendable {
    /// `smtp://host:port` (STARTTLS when the server offers it) or `smtps://host:port` (TLS from the start).
    public var url: String
    public var from: String
    public var recipients: [String]
    public var message: Data
    public var username: String?
    /// Read from a file by the caller; never logged or put in an error.
    public var password: String?
    /// A CA file for the relay's certificate (a private CA).
    public var caFile: String?
    /// Refuse to send unless the connection is encrypted (STARTTLS or smtps).
    public var requireTLS: Bool
    public var timeout: Duration

    public init(url: String, from: String, recipients: [String], message: Data, username: String? = nil, password: String? = nil,
                caFile: String? = nil, requireTLS: Bool = false, timeout: Duration = .seconds(60)) {
        self.url = url
        self.from = from
        self.recipients = recipients
        self.message = message
        self.username = username
        self.password = password
        self.caFile = caFile
        self.requireTLS = requireTLS
        self.timeout = timeout
    }
}

/// Why a message was not accepted: the relay, the reason in libcurl's words (which carry the
/// server's reply, e.g. "RCPT failed: 550"), never the password.
public struct MailError: Error, Sendable, CustomStringConvertible {
    public var relay: String
    public var reason: String
    public var description: String { "the SMTP relay \(relay) did not accept the message: \(reason)" }
}

/// Sends mail through libcurl's SMTP support: STARTTLS when offered (or required), optional
/// authentication, every recipient or none (a refused recipient fails the send, so a retry
/// reaches everyone).
public struct CurlMailSender: Sendable {
    public init() {
        _ = curlGlobalInit
    }

    public func send(_ mail: MailEnvelope) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try MailTransfer(mail).perform() })
            }
        }
    }
}

/// One SMTP session; libcurl reads the message from `message` through the read callback.
private final class MailTransfer: @unchecked Sendable {
    let mail: MailEnvelope
    var offset = 0

    init(_ mail: MailEnvelope) { self.mail = mail }

    func perform() throws {
        guard !mail.recipients.isEmpty else { throw MailError(relay: relay, reason: "no recipients") }
        guard let handle = curl_easy_init() else { throw MailError(relay: relay, reason: "libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var recipients: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipients) }
        for recipient in mail.recipients { recipients = curl_slist_append(recipients, "<\(recipient)>") }

        hr_setopt_string(handle, CURLOPT_URL, mail.url)
        hr_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        hr_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(mail.timeout))
        hr_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        hr_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(mail.from)>")
        hr_setopt_list(handle, CURLOPT_MAIL_RCPT, recipients)
        hr_setopt_long(handle, CURLOPT_USE_SSL, Int(mail.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
        if let caFile = mail.caFile { hr_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let username = mail.username { hr_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = mail.password { hr_setopt_string(handle, CURLOPT_PASSWORD, password) }
        hr_setopt_long(handle, CURLOPT_UPLOAD, 1)
        hr_setopt_long(handle, CURLOPT_INFILESIZE_LARGE, mail.message.count)
        let context = Unmanaged.passUnretained(self).toOpaque()
        hr_setopt_data_callback(handle, CURLOPT_READFUNCTION, { buffer, size, count, context in
            let transfer = Unmanaged<MailTransfer>.fromOpaque(context!).takeUnretainedValue()
            return copyUpload(transfer.mail.message, offset: &transfer.offset, into: buffer, capacity: size * count)
        })
        hr_setopt_pointer(handle, CURLOPT_READDATA, context)
        hr_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            throw MailError(relay: relay, reason: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
    }

    /// The relay without any credentials a URL might carry.
    var relay: String {
        guard var components = URLComponents(string: mail.url) else { return "(unparsable URL)" }
        components.user = nil
        components.password = nil
        return components.string ?? "(unparsable URL)"
    }
}
