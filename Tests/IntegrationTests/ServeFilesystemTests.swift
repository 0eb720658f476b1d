import Foundation
import HeadroomHTTP
import HeadroomTesting
import Testing

/// `headroom serve` writes nothing outside its store's directory, so it runs with a read-only
/// root filesystem (deploy/ sets `readOnlyRootFilesystem: true`). strace records every call
/// that could create, change or remove a file while it collects, assesses, answers and stops.
@Suite struct ServeFilesystemTests {
    static let writingCalls = "openat,open,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,truncate,link,linkat,symlink,symlinkat,chmod,fchmodat"

    /// The paths of traced calls that write: opens with a write flag and every other call traced.
    static func writtenPaths(_ trace: String) -> [String] {
        trace.split(separator: "\n").compactMap { line in
            guard let call = line.firstMatch(of: /^\d+\s+(\w+)\(/)?.1, let path = line.firstMatch(of: /"([^"]*)"/)?.1 else { return nil }
            if call == "openat" || call == "open" {
                guard line.contains("O_WRONLY") || line.contains("O_RDWR") || line.contains("O_CREAT") || line.contains("O_TRUNC") else { return nil }
            }
            return String(path)
        }
    }

    @Test("collecting, assessing, answering and stopping write only inside the store's directory")
    func onlyTheStoreDirectory() async throws {
        let end = Int64(Date().timeIntervalSince1970) / 300 * 300 - 300
        let prometheus = try await PrivatePrometheus(days: 1, end: end)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        let storeDirectory = directory.file("store")
        try FileManager.default.createDirectory(atPath: storeDirectory, withIntermediateDirectories: true)
        let store = storeDirectory + "/headroom.sqlite"
        #expect(try await ChildProcess.run(binary, ["import", prometheus.cluster, "--db", store]).status == 0)

        let trace = directory.file("trace")
        let traced = try SpawnedProcess(try PrivatePrometheus.tool("strace"), [
            "-f", "-qq", "-e", "trace=\(Self.writingCalls)", "-o", trace,
            binary, "serve", "--db", store, "--listen", "127.0.0.1:0", "--prometheus", prometheus.url, "--backfill", "2d"],
            // LeakSanitizer cannot run under ptrace (the `make test-asan` build would exit 1 for it).
            environment: ["ASAN_OPTIONS": "detect_leaks=0"])
        let log = await traced.standardError { $0.contains("msg=cycle") }
        #expect(log.contains("outcome=ok"), "\(log)")
        let port = try #require(log.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.1, "\(log)")
        let client = CurlHTTPClient()
        for path in ["/readyz", "/metrics", "/v1/assessment", "/v1/recommendations?namespace=production"] {
            #expect(try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)\(path)")).status == 200, "\(path)")
        }
        // SIGTERM to headroom itself (strace's child), which then exits 0; strace follows.
        let children = try String(contentsOfFile: "/proc/\(traced.pid)/task/\(traced.pid)/children", encoding: .utf8)
        let serve = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        kill(serve, SIGTERM)
        let ended = await traced.exit()
        #expect(ended.status == 0 && !ended.signalled)

        let recorded = try String(contentsOfFile: trace, encoding: .utf8)
        let written = Self.writtenPaths(recorded)
        #expect(written.contains(store), "the trace shows the store being written: \(recorded.prefix(2_000))")
        let outside = written.filter { !$0.hasPrefix(storeDirectory + "/") && $0 != "/dev/null" }
        #expect(outside.isEmpty, "written outside \(storeDirectory): \(Set(outside).sorted())")
    }

    @Test("the trace reader finds writing opens and removals, not reads")
    func traceReader() {
        let trace = """
            12  openat(AT_FDCWD, "/s/h.sqlite", O_RDWR|O_CREAT|O_NOFOLLOW|O_CLOEXEC, 0644) = 5
            12  openat(AT_FDCWD, "/etc/ssl/certs/ca.pem", O_RDONLY|O_CLOEXEC) = 6
            13  unlink("/s/h.sqlite-wal")    = 0
            13  mkdir("/elsewhere/x", 0700) = 0
            """
        #expect(Self.writtenPaths(trace) == ["/s/h.sqlite", "/s/h.sqlite-wal", "/elsewhere/x"])
    }
}
