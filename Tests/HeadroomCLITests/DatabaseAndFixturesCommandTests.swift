import Foundation
import HeadroomHistory
import HeadroomTesting
import Testing

@Suite struct DatabaseAndFixturesCommandTests {
    struct Stats: Decodable {
        struct Table: Decodable { var table: String; var rows: Int }
        var journalMode: String
        var integrity: String
        var tables: [Table]
    }

    @Test("db stats reports WAL, integrity and row counts; db retain rolls old buckets up")
    func statsAndRetain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        // Two days of one-minute samples: 576 buckets of CPU and 576 of memory.
        let rows = (0..<2880).map { "\($0 * 60),prod,Deployment,api,app,0.2,1000" }
        let file = try directory.write("u.csv", (["timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes"] + rows).joined(separator: "\n"))
        let store = directory.file("h.sqlite")
        #expect(try await ChildProcess.run(binary, ["import", "--db", store, file]).status == 0)

        let stats = try JSONDecoder().decode(Stats.self, from: Data(try await ChildProcess.run(binary, ["db", "stats", "--db", store, "-o", "json"]).stdout.utf8))
        #expect(stats.journalMode == "wal" && stats.integrity == "ok")
        #expect(stats.tables.first { $0.table == "usage_5m" }?.rows == 1152)

        // Keep one day relative to the end of day two: day one (288 buckets per resource) rolls up.
        let retain = try await ChildProcess.run(binary, ["db", "retain", "--db", store, "--keep", "1d", "--now", "172800"])
        #expect(retain.status == 0, "\(retain.stderr)")
        #expect(retain.stdout.contains("rolled 576 5-minute buckets"))
        let after = try HistoryStore(path: store).contentDigests()
        #expect(after.first { $0.table == "usage_5m" }?.rows == 576)
        #expect(after.first { $0.table == "usage_1h" }?.rows == 48)
    }

    @Test("fixtures generate writes the same file for the same seed and rejects bad options")
    func generate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        let first = try await ChildProcess.run(binary, ["fixtures", "generate", "--days", "1", "--out", directory.file("a/one.csv")])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try await ChildProcess.run(binary, ["fixtures", "generate", "--days", "1", "--out", directory.file("two.csv")]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: directory.file("a/one.csv"), andPath: directory.file("two.csv")))
        let bad = try await ChildProcess.run(binary, ["fixtures", "generate", "--sample-interval", "7", "--out", directory.file("x.csv")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--sample-interval must divide 300 seconds"))
    }
}
