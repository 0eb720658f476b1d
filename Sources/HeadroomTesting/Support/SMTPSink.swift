import Foundation

/// A real SMTP server of a test's own (`scripts/smtp-sink`, on Debian's python3-aiosmtpd):
/// 127.0.0.1 on a free port, each received message saved with a summary of its MIME structure
/// as Python's email package parses it; stopped and removed with this object.
public final class SMTPSink: @unchecked Sendable {
    public let port: UInt16
    public let directory: TemporaryDirectory
    private var process: SpawnedProcess?

    public var url: String { "smtp://127.0.0.1:\(port)" }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/smtp-sink").path

    /// - Parameters: `refuse` recipients answered 550, `drop` recipients whose RCPT closes the
    ///   connection, `tls` a certificate and key to offer STARTTLS with, `auth` "user:password".
    public init(port: UInt16? = nil, refuse: [String] = [], drop: [String] = [], tls: (certificate: String, key: String)? = nil, auth: String? = nil) async throws {
        directory = try TemporaryDirectory(prefix: "headroom-smtp")
        self.port = try port ?? freeLoopbackPort()
        var arguments = [Self.script, "--dir", directory.file("mail"), "--port", String(self.port)]
        arguments += refuse.flatMap { ["--refuse", $0] } + drop.flatMap { ["--drop", $0] }
        if let tls { arguments += ["--tls-cert", tls.certificate, "--tls-key", tls.key] }
        if let auth { arguments += ["--auth", auth] }
        // Debian's python3, whose dist-packages hold aiosmtpd (a pyenv python on PATH would not).
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : try PrivateAlertmanager.tool("python3")
        process = try SpawnedProcess(python, arguments)
        for _ in 0..<200 {
            if isListening(port: self.port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PrivateAlertmanagerError("scripts/smtp-sink on port \(self.port) not listening after 10 s (is python3-aiosmtpd installed? scripts/install-deps)")
    }

    /// The summaries of the messages received so far, in order of arrival.
    public func messages() throws -> [[String: Any]] {
        let mail = directory.file("mail")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: mail)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(mail)/\($0)"))) as? [String: Any] ?? [:] }
    }

    deinit {
        process?.signal(SIGTERM)
        _ = process?.wait()
        process = nil
        directory.remove()
    }
}
