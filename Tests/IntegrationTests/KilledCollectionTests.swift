import Foundation
import HeadroomHistory
import HeadroomTesting
import Testing

/// `headroom collect` killed midway resumes at its watermark with no duplicate and no gap.
@Suite struct KilledCollectionTests {
    @Test("SIGKILL during collect, then a second run, gives exactly what one clean run gives")
    func killedAndResumed() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let binary = try ChildProcess.headroomBinary()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // 100 buckets per series: chunks of 30,000 s (8 h 20 min), 6 of them over the 2 days.
        let common = ["collect", "--prometheus", prometheus.url, "--end", String(prometheus.end),
                      "--scrape-interval", "150s", "--max-points-per-series", "100"]

        let clean = directory.file("clean.sqlite")
        let cleanRun = try await ChildProcess.run(binary, common + ["--db", clean, "--start", String(prometheus.start)])
        #expect(cleanRun.status == 0, "\(cleanRun.stderr)")
        #expect(cleanRun.stderr.contains("chunk 6/6"))
        let expected = try HistoryStore(path: clean).contentDigests()

        let killed = directory.file("killed.sqlite")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = common + ["--db", killed, "--start", String(prometheus.start)]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while process.isRunning {
            let data = stderr.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
            if seen.contains("collect: chunk 2/6") {
                kill(process.processIdentifier, SIGKILL)
                break
            }
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "collect finished before it was killed: \(seen)")

        let interrupted = try HistoryStore(path: killed)
        #expect(try interrupted.integrityCheck() == "ok")
        let watermark = try #require(try interrupted.watermark(source: "prometheus:\(prometheus.url)"))
        #expect(watermark > prometheus.start && watermark < prometheus.end)
        #expect((watermark - prometheus.start) % 30_000 == 0, "the watermark sits on a chunk boundary")

        // The second run starts at the watermark (no --start) and finishes the range.
        let resumed = try await ChildProcess.run(binary, common + ["--db", killed])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try HistoryStore(path: killed).contentDigests() == expected)

        // A third run has nothing left to do.
        let again = try await ChildProcess.run(binary, common + ["--db", killed])
        #expect(again.status == 0)
        #expect(again.stderr.contains("nothing to collect"))
    }
}
