import Foundation
import HeadroomHTTP
import HeadroomTesting

/// A Prometheus of a test's own, which the test may stop and start again (the shared one of
/// `scripts/with-prometheus` serves every other test and must stay up). It holds `days` of the
/// demo cluster ending at `end`, backfilled with promtool, and listens on 127.0.0.1 and the same
/// free port across restarts.
final class PrivatePrometheus: @unchecked Sendable {
    let port: UInt16
    let directory: TemporaryDirectory
    /// The cluster's nodes and quotas (kube-state-metrics text) for `headroom import`: the
    /// generator keeps them out of the Prometheus data.
    let cluster: String
    private var process: SpawnedProcess?

    var url: String { "http://127.0.0.1:\(port)" }

    init(days: Int, end: Int64) async throws {
        directory = try TemporaryDirectory(prefix: "headroom-private-prometheus")
        let fixture = directory.file("demo.om")
        cluster = directory.file("cluster.prom")
        let generated = try await ChildProcess.run(try ChildProcess.headroomBinary(), [
            "fixtures", "generate", "--format", "openmetrics", "--days", String(days), "--end", String(end), "--out", fixture, "--cluster-out", cluster])
        guard generated.status == 0 else { throw PrivatePrometheusError("fixtures generate: \(generated.stderr)") }
        // The generated Prometheus series carry no cluster label, so they are filed under the
        // default cluster; the nodes and quotas must be too, or the store holds two clusters.
        let nodes = try String(contentsOfFile: cluster, encoding: .utf8)
        try nodes.replacingOccurrences(of: #"cluster="terrafusion","#, with: "").write(toFile: cluster, atomically: true, encoding: .utf8)
        let backfill = try await ChildProcess.run(try Self.tool("promtool"), ["tsdb", "create-blocks-from", "openmetrics", fixture, directory.file("data")])
        guard backfill.status == 0 else { throw PrivatePrometheusError("promtool: \(backfill.stderr)") }
        _ = try directory.write("prometheus.yml", "global:\n  scrape_interval: 1h\nscrape_configs: []\n")
        port = try freeLoopbackPort()
        try await start()
    }

    /// Starts it (again) on its port and data, and waits until it answers `/-/ready`.
    func start() async throws {
        let process = try SpawnedProcess(try Self.tool("prometheus"), [
            "--config.file=\(directory.file("prometheus.yml"))", "--storage.tsdb.path=\(directory.file("data"))",
            "--storage.tsdb.retention.time=3650d", "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"])
        self.process = process
        for _ in 0..<300 {
            if let probe = try? await CurlHTTPClient().send(HTTPRequest(url: "\(url)/-/ready", timeout: .seconds(2))), probe.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PrivatePrometheusError("prometheus on \(url) not ready after 30 s")
    }

    /// SIGTERM, and waits for it to exit: nothing listens on the port afterwards.
    func stop() async {
        guard let process else { return }
        self.process = nil
        process.signal(SIGTERM)
        _ = await process.exit()
    }

    /// Its data goes with it (the process, if still running, is killed by SpawnedProcess).
    deinit {
        process = nil
        directory.remove()
    }

    /// A tool's absolute path from PATH (posix_spawn does not search it).
    static func tool(_ name: String) throws -> String {
        guard let path = ChildProcess.onPath(name) else { throw PrivatePrometheusError("\(name) not found on PATH: run scripts/install-deps") }
        return path
    }
}

/// Setting up the private Prometheus failed: which step, and what it said.
struct PrivatePrometheusError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
