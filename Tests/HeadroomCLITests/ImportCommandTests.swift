import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomDemo
import HeadroomTesting
import Testing

/// Drives the built `headroom` binary as a user or a script would.
@Suite struct ImportCommandTests {
    let header = "timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes"

    func goodCSV(rows: Int = 50) -> String {
        ([header] + (0..<rows).map { "\($0 * 60),prod,Deployment,api,app,0.\($0 % 9 + 1),\(100_000 + $0),0.5,1073741824" })
            .joined(separator: "\n") + "\n"
    }

    @Test("importing the same file twice leaves the same rows")
    func idempotentImport() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("usage.csv", goodCSV())
        let store = directory.file("h.sqlite")
        let binary = try ChildProcess.headroomBinary()
        let first = try await ChildProcess.run(binary, ["import", "--db", store, file])
        #expect(first.status == 0, "\(first.stderr)")
        let digests = try HistoryStore(path: store).contentDigests()
        #expect(digests.first { $0.table == "usage_5m" }?.rows == 20)
        let second = try await ChildProcess.run(binary, ["import", "--db", store, file])
        #expect(second.status == 0)
        #expect(try HistoryStore(path: store).contentDigests() == digests)
    }

    @Test("a bad line anywhere aborts the whole import, prints file:line and changes nothing")
    func badLineChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = directory.file("h.sqlite")
        let binary = try ChildProcess.headroomBinary()
        let base = try directory.write("base.csv", goodCSV(rows: 10))
        #expect(try await ChildProcess.run(binary, ["import", "--db", store, base]).status == 0)
        let before = try HistoryStore(path: store).contentDigests()

        let more = try directory.write("more.csv", goodCSV(rows: 400).replacingOccurrences(of: "prod,", with: "staging,"))
        let bad = try directory.write("bad.csv", "\(header)\n0,prod,Deployment,web,app,0.1,100,0.5,1\n60,prod,Deployment,web,app,zero,100,0.5,1\n")
        let result = try await ChildProcess.run(binary, ["import", "--db", store, more, bad])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(bad):3: column cpu_cores: \"zero\" is not a number"))
        let after = try HistoryStore(path: store).contentDigests()
        #expect(after == before)
    }

    @Test("SIGKILL during an import leaves a sound store holding all or none of it")
    func killedImport() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        var options = DemoClusterGenerator.Options()
        options.days = 7
        options.sampleInterval = 300
        let file = directory.file("demo.csv")
        try DemoCSVWriter.write(DemoClusterGenerator(options: options), to: file)
        let store = directory.file("h.sqlite")
        let base = try directory.write("base.csv", goodCSV(rows: 10))
        #expect(try await ChildProcess.run(binary, ["import", "--db", store, base]).status == 0)
        let before = try HistoryStore(path: store).contentDigests()

        // The complete outcome, from a copy of the store that is left to finish.
        let copy = directory.file("complete.sqlite")
        try FileManager.default.copyItem(atPath: store, toPath: copy)
        #expect(try await ChildProcess.run(binary, ["import", "--db", copy, file]).status == 0)
        let complete = try HistoryStore(path: copy).contentDigests()
        #expect(complete != before)

        // Kill the real one as soon as it reports its first written batch (inside the transaction).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["import", "--db", store, file]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = ""
        var killedMidway = false
        while process.isRunning {
            let data = stderr.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
            if let line = seen.split(separator: "\n").first(where: { $0.hasPrefix("writing:") }) {
                kill(process.processIdentifier, SIGKILL)
                killedMidway = !line.contains("(100%)")
                break
            }
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import finished before it could be killed: \(seen)")
        #expect(killedMidway)

        let reopened = try HistoryStore(path: store)
        #expect(try reopened.integrityCheck() == "ok")
        let after = try reopened.contentDigests()
        #expect(after == before || after == complete)
        // Killed before its last batch was written, the import cannot have committed.
        if killedMidway { #expect(after == before) }
    }

    @Test("usage errors exit 2, failures exit 1, and help shows examples")
    func exitCodes() async throws {
        let binary = try ChildProcess.headroomBinary()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try await ChildProcess.run(binary, ["import", "--no-such-flag", "x"]).status == 2)
        #expect(try await ChildProcess.run(binary, ["usage", "--since", "7x", "--db", directory.file("h.sqlite")]).status == 2)
        let missingStore = try await ChildProcess.run(binary, ["usage", "--db", directory.file("none.sqlite")])
        #expect(missingStore.status == 2)
        #expect(missingStore.stderr.contains("no history store at"))
        let missingFile = try await ChildProcess.run(binary, ["import", "--db", directory.file("h.sqlite"), directory.file("absent.csv")])
        #expect(missingFile.status == 1)
        #expect(missingFile.stderr.contains("absent.csv: no such file"))
        let help = try await ChildProcess.run(binary, ["import", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:") && help.stdout.contains("--db"))
        let rootHelp = try await ChildProcess.run(binary, ["--help"])
        #expect(rootHelp.stdout.contains("Exit codes: 0 ok, 1 failure, 2 usage error, 3 policy violation"))
    }

    @Test("HEADROOM_DB chooses the store when --db is absent")
    func environmentStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("usage.csv", goodCSV())
        let store = directory.file("env.sqlite")
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["import", file], environment: ["HEADROOM_DB": store])
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: store))
    }
}
