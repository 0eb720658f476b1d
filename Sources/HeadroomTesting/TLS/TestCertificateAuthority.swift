import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway certificate authority made with the `openssl` command in a temp directory: a CA,
/// a server certificate for 127.0.0.1/localhost and a client certificate, all signed by the CA.
public struct TestCertificateAuthority: Sendable {
    public let directory: TemporaryDirectory
    public var caCertificate: String { directory.file("ca.crt") }
    public var serverCertificate: String { directory.file("server.crt") }
    public var serverKey: String { directory.file("server.key") }
    public var clientCertificate: String { directory.file("client.crt") }
    public var clientKey: String { directory.file("client.key") }

    public init() throws {
        directory = try TemporaryDirectory(prefix: "headroom-ca")
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + curve + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Headroom Test CA"])
        for (name, usage, subject) in [("server", "serverAuth", "/CN=127.0.0.1"), ("client", "clientAuth", "/CN=headroom-client")] {
            try openssl(["req"] + curve + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
            try directory.write("\(name).ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=\(usage)\n")
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
        }
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try ChildProcess.runBlocking("/usr/bin/openssl", arguments, currentDirectory: directory.path)
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? "") failed: \(result.stderr)"])
        }
    }
}

/// `openssl s_server` on 127.0.0.1 serving files from a directory over TLS (`-WWW`), requiring a
/// client certificate signed by the test CA (`-Verify 1`).
public final class TLSFileServer: @unchecked Sendable {
    public let port: UInt16
    private let process: Process

    public init(authority: TestCertificateAuthority, serving directory: String) throws {
        port = try freeLoopbackPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", authority.serverCertificate,
                             "-key", authority.serverKey, "-CAfile", authority.caCertificate, "-Verify", "1", "-WWW", "-quiet"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitUntilListening(port: port, timeout: 10)
    }

    deinit { stop() }

    public var url: String { "https://127.0.0.1:\(port)" }

    /// Terminates the server and reaps it. Uses `kill`/`waitpid` rather than
    /// `Process.waitUntilExit()`, which can hang when called from a test's teardown.
    public func stop() {
        let pid = process.processIdentifier
        // SIGKILL: children started by Foundation's Process may have SIGTERM blocked.
        guard pid > 0, kill(pid, SIGKILL) == 0 else { return }
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }
}
