import Foundation

/// A real Alertmanager (Debian's `prometheus-alertmanager`) of a test's own: 127.0.0.1 on a free
/// port, no cluster listener, its data in a temporary directory; stopped and removed with it.
public final class PrivateAlertmanager: @unchecked Sendable {
    public let port: UInt16
    let directory: TemporaryDirectory
    private var process: SpawnedProcess?

    public var url: String { "http://127.0.0.1:\(port)" }

    public init() async throws {
        directory = try TemporaryDirectory(prefix: "headroom-alertmanager")
        let config = try directory.write("alertmanager.yml", """
            route:
              receiver: blackhole
              group_wait: 1s
            receivers:
              - name: blackhole
            """)
        port = try freeLoopbackPort()
        let binary = try Self.tool("prometheus-alertmanager")
        process = try SpawnedProcess(binary, [
            "--config.file=\(config)", "--storage.path=\(directory.file("data"))", "--web.listen-address=127.0.0.1:\(port)",
            "--cluster.listen-address=", "--log.level=warn"])
        for _ in 0..<300 {
            if isListening(port: port), let ready = try? await Self.get("\(url)/-/ready"), ready.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PrivateAlertmanagerError("alertmanager on \(url) not ready after 30 s")
    }

    /// `GET /api/v2/alerts`: the alerts it holds (resolved ones are not listed), decoded.
    public func alerts() async throws -> [[String: Any]] {
        let answer = try await Self.get("\(url)/api/v2/alerts")
        guard answer.status == 200 else { throw PrivateAlertmanagerError("GET /api/v2/alerts: \(answer.status)") }
        return try JSONSerialization.jsonObject(with: answer.body) as? [[String: Any]] ?? []
    }

    deinit {
        process?.signal(SIGTERM)
        _ = process?.wait()
        process = nil
        directory.remove()
    }

    /// A plain GET over a socket (this module does not link the HTTP client).
    static func get(_ url: String) async throws -> (status: Int, body: Data) {
        let result = try await ChildProcess.run(try tool("curl"), ["-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "5", url])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        guard let status = lines.last.flatMap({ Int($0) }) else { throw PrivateAlertmanagerError("curl \(url): \(result.stderr)") }
        return (status, Data(lines.dropLast().joined(separator: "\n").utf8))
    }

    /// A tool's absolute path from PATH (posix_spawn does not search it).
    public static func tool(_ name: String) throws -> String {
        guard let path = ChildProcess.onPath(name) else { throw PrivateAlertmanagerError("\(name) not found on PATH: run scripts/install-deps") }
        return path
    }
}

/// Setting up or asking the private Alertmanager failed.
public struct PrivateAlertmanagerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
