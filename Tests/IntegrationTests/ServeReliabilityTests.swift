import Foundation
import HeadroomHTTP
import HeadroomHistory
import HeadroomTesting
import Testing

/// `headroom serve` when its Prometheus goes away and comes back: a real Prometheus of the
/// test's own, stopped and started again on the same port.
@Suite struct ServeReliabilityTests {
    /// The running service: its base URL, the token POST /v1/cycles needs, and its log.
    struct RunningServe {
        let process: SpawnedProcess
        let base: String
        let token: String

        static let client = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(120)))

        func get(_ path: String) async throws -> HeadroomHTTP.HTTPResponse {
            try await Self.client.send(HTTPRequest(url: base + path, headers: [("Authorization", "Bearer \(token)")]))
        }

        func body(_ path: String) async throws -> String { String(decoding: try await get(path).body, as: UTF8.self) }

        /// Asks for a cycle now and waits for its log line (the `count`th line saying `outcome`).
        func cycle(expecting outcome: String, count: Int) async throws -> String {
            let asked = try await Self.client.send(HTTPRequest(method: .post, url: base + "/v1/cycles", headers: [("Authorization", "Bearer \(token)")]))
            #expect(asked.status == 202)
            return await process.standardError { Self.cycleLines($0, outcome: outcome) >= count }
        }

        /// Log lines of cycles (not collections between them) that ended with `outcome`.
        static func cycleLines(_ log: String, outcome: String) -> Int {
            log.split(separator: "\n").filter { $0.contains("msg=cycle") && $0.contains("outcome=\(outcome)") }.count
        }

        /// Polls `/readyz` until its status is `status` (up to three minutes); the last answer.
        func readiness(becoming status: Int) async throws -> HeadroomHTTP.HTTPResponse {
            var answer = try await get("/readyz")
            for _ in 0..<1_800 where answer.status != status {
                try await Task.sleep(for: .milliseconds(100))
                answer = try await get("/readyz")
            }
            return answer
        }
    }

    /// An HTTP date (IMF-fixdate) as a `Date`.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }

    @Test("Prometheus stopped: the cycle fails in collect, the last good assessment is served with its age, /readyz turns unready; started again: ready")
    func prometheusDownAndBack() async throws {
        let end = Int64(Date().timeIntervalSince1970) / 300 * 300 - 300
        let prometheus = try await PrivatePrometheus(days: 1, end: end)
        let directory = try TemporaryDirectory()
        let binary = try ChildProcess.headroomBinary()
        let store = directory.file("headroom.sqlite")
        #expect(try await ChildProcess.run(binary, ["import", prometheus.cluster, "--db", store]).status == 0)
        let token = "reliability-token-4711"
        let tokenFile = try directory.write("token", token + "\n")
        // Staleness 60 s: the first probe comes well within it (even on a loaded machine), and
        // a failed cycle plus the wait below outlast it.
        let process = try SpawnedProcess(binary, [
            "serve", "--db", store, "--listen", "127.0.0.1:0", "--prometheus", prometheus.url, "--backfill", "2d",
            "--staleness", "60s", "--assess-interval", "1h", "--collect-interval", "1h", "--token-file", tokenFile])
        defer { directory.remove() }
        let started = await process.standardError { $0.contains("msg=cycle") }
        let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.1, "\(started)")
        let serve = RunningServe(process: process, base: "http://127.0.0.1:\(port)", token: token)
        #expect(started.contains("outcome=ok"), "\(started)")
        // Ready exactly while the good cycle is at most --staleness old. On a loaded machine (ASAN,
        // every suite at once) the probe can itself arrive past the limit, so the answer is checked
        // against the age it reports; the recovery below checks that it turns ready again.
        let probe = try await serve.get("/readyz")
        let probeText = String(decoding: probe.body, as: UTF8.self)
        let probeAge = try #require(probeText.firstMatch(of: /last good cycle (\d+) s ago/).flatMap { Int($0.1) }, "\(probeText)")
        #expect((probe.status == 200) == (probeAge <= 60), "\(probe.status): \(probeText)")
        let first = try await serve.get("/v1/assessment")
        let etag = try #require(first.headers["etag"])

        await prometheus.stop()
        let failed = try await serve.cycle(expecting: "failed", count: 1)
        #expect(failed.contains("stage=collect"), "\(failed)")
        let stale = try await serve.readiness(becoming: 503)
        #expect(stale.status == 503)
        #expect(String(decoding: stale.body, as: UTF8.self).contains("older than the staleness limit"))
        let served = try await serve.get("/v1/assessment")
        #expect(served.status == 200 && served.headers["etag"] == etag, "the last good assessment is still served")
        let age = try #require(served.headers["age"].flatMap { Int($0) })
        #expect(age > 60, "older than the staleness limit")
        let metrics = try await serve.body("/metrics")
        #expect(metrics.contains(#"headroom_cycle_errors_total{stage="collect"} 1"#), "\(metrics.prefix(3_000))")
        let reportedAge = try #require(metrics.firstMatch(of: /\nheadroom_assessment_age_seconds (\d+)/).flatMap { Int($0.1) })
        #expect(reportedAge >= age, "/metrics gives the same age")

        try await prometheus.start()
        let recovered = try await serve.cycle(expecting: "ok", count: 2)
        #expect(RunningServe.cycleLines(recovered, outcome: "ok") == 2, "\(recovered)")
        // No usage arrived while Prometheus was down: the second good cycle reuses every
        // container's advice from the first, kept in the store.
        let okLines = recovered.split(separator: "\n").filter { $0.contains("msg=cycle") && $0.contains("outcome=ok") }
        let firstReused = okLines.first.flatMap { $0.firstMatch(of: /advice_computed=(\d+) advice_reused=(\d+)/) }
        let lastReused = okLines.last.flatMap { $0.firstMatch(of: /advice_computed=(\d+) advice_reused=(\d+)/) }
        #expect(firstReused.map { Int($0.1)! > 0 && $0.2 == "0" } == true, "\(okLines)")
        #expect(lastReused.map { $0.1 == "0" && Int($0.2)! > 0 } == true, "\(okLines)")
        // Ready again. On a loaded machine (ASAN, every suite at once) the test itself can be held
        // past --staleness between the cycle's log line and its probe, so a probe that finds the
        // cycle already stale must say so by its age, and asks for one more cycle (at most three).
        var ready = try await serve.readiness(becoming: 200)
        for _ in 0..<2 where ready.status != 200 {
            let text = String(decoding: ready.body, as: UTF8.self)
            let staleAge = try #require(text.firstMatch(of: /last good cycle (\d+) s ago/).flatMap { Int($0.1) }, "\(text)")
            #expect(staleAge > 60, "unready only when stale: \(text)")
            let okSoFar = RunningServe.cycleLines(await process.standardError { _ in true }, outcome: "ok")
            _ = try await serve.cycle(expecting: "ok", count: okSoFar + 1)
            ready = try await serve.readiness(becoming: 200)
        }
        #expect(ready.status == 200, "\(String(decoding: ready.body, as: UTF8.self))")
        // The assessment served now is the recovered cycle's, not the one kept through the outage.
        let fresh = try await serve.get("/v1/assessment")
        let firstModified = try #require(first.headers["last-modified"].flatMap(Self.httpDate))
        let freshModified = try #require(fresh.headers["last-modified"].flatMap(Self.httpDate))
        #expect(fresh.status == 200 && freshModified > firstModified)
        #expect(try await serve.body("/metrics").contains(#"headroom_cycle_errors_total{stage="collect"} 1"#))

        process.signal(SIGTERM)
        let ended = await process.exit()
        #expect(ended.status == 0 && !ended.signalled)
    }
}

/// `headroom serve` killed with SIGKILL in the middle of a cycle's collection: the next start
/// resumes at the watermark and stores exactly what an uninterrupted cycle stores.
@Suite struct ServeKilledCycleTests {
    @Test("SIGKILL mid-collection, then a restart: the same buckets as one uninterrupted cycle, none twice, none missing")
    func killedMidCycle() async throws {
        // The data ends 15 minutes before now, past Prometheus' 5-minute lookback from any
        // cycle's window end, so cycles minutes apart read the same buckets (the scrape interval,
        // which shapes the downsampling queries, is detected at the data's end, not the cycle's).
        let end = Int64(Date().timeIntervalSince1970) / 300 * 300 - 900
        let prometheus = try await PrivatePrometheus(days: 1, end: end)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        // 100 buckets per series: 30,000-second chunks on a fixed grid, 6 or 7 over the 2 days back
        // (the first day empty; the 4th chunk ends inside the data).
        let common = ["--prometheus", prometheus.url, "--backfill", "2d", "--max-points-per-series", "100"]
        func store(_ name: String) async throws -> String {
            let path = directory.file(name)
            #expect(try await ChildProcess.run(binary, ["import", prometheus.cluster, "--db", path]).status == 0)
            return path
        }

        let clean = try await store("clean.sqlite")
        let cleanRun = try await ChildProcess.run(binary, ["serve", "--once", "--db", clean] + common)
        #expect(cleanRun.status == 0, "\(cleanRun.stderr)")
        // Every table but the watermarks, which hold each run's own end (now less a minute).
        func digests(_ path: String) throws -> [TableDigest] { try HistoryStore(path: path).contentDigests().filter { $0.table != "watermarks" } }
        let expected = try digests(clean)

        let killed = try await store("killed.sqlite")
        // One query a second: each chunk with data takes seconds, so the kill after the 5th chunk
        // (sent from the thread that reads the log, as soon as it reads the line) lands inside
        // the data even on a loaded machine.
        let process = try SpawnedProcess(binary, ["serve", "--db", killed, "--listen", "127.0.0.1:0", "--log-level", "debug",
                                                  "--max-query-rate", "1"] + common)
        let pid = process.pid
        let seen = await process.standardError { text in
            let due = text.contains("chunks_done=5 ") || text.contains("msg=cycle")
            if due { kill(pid, SIGKILL) }
            return due
        }
        let ended = await process.exit()
        #expect(ended.signalled && ended.status == SIGKILL)
        #expect(!seen.contains("msg=cycle"), "the cycle ended before the kill: \(seen)")

        let interrupted = try HistoryStore(path: killed)
        #expect(try interrupted.integrityCheck() == "ok")
        let watermark = try #require(try interrupted.watermark(source: "prometheus:\(prometheus.url)"))
        #expect(watermark > end - 86_400 && watermark < end, "the kill came inside the data, before its last chunk was stored")
        #expect(try digests(killed) != expected)

        let resumed = try await ChildProcess.run(binary, ["serve", "--once", "--db", killed] + common)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try digests(killed)
        #expect(after == expected, "differing tables: \(zip(after, expected).filter { $0 != $1 })")
    }
}
