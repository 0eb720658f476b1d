import Foundation
import HeadroomTesting
import Testing

/// `--db postgres://…` for collection, import and the store's own commands, against the real PostgreSQL
/// (`scripts/with-postgres`) and, for `collect`, the real Prometheus (`scripts/with-prometheus`).
@Suite struct PostgresStoreCommandTests {
    /// A fresh database on the test server and the options that name it.
    struct Database {
        let url: String
        let passwordFile: String
        var options: [String] { ["--db", url, "--db-password-file", passwordFile] }

        static func create() async throws -> Database {
            let environment = ProcessInfo.processInfo.environment
            guard let server = environment["HEADROOM_TEST_POSTGRES_URL"], let passwordFile = environment["HEADROOM_TEST_POSTGRES_PASSWORD_FILE"],
                  let components = URLComponents(string: server), let host = components.host, let port = components.port else {
                throw MissingServer(what: "PostgreSQL (scripts/with-postgres)")
            }
            let name = "cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let password = try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let psql = ChildProcess.onPath("psql") else { throw MissingServer(what: "psql (scripts/install-deps)") }
            let created = try await ChildProcess.run(psql, ["-X", "-q", "-h", host, "-p", String(port), "-U", "headroom", "-d", "headroom",
                                                            "-c", "CREATE DATABASE \(name)"], environment: ["PGPASSWORD": password])
            guard created.status == 0 else { throw MissingServer(what: "a database: \(created.stderr)") }
            return Database(url: "postgres://headroom@\(host):\(port)/\(name)", passwordFile: passwordFile)
        }
    }

    struct MissingServer: Error, CustomStringConvertible {
        let what: String
        var description: String { "no \(what): run the tests with 'make test'" }
    }

    /// The `collect -o json` report's Prometheus summary.
    func summary(_ output: String) throws -> [String: Any] {
        let report = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]
        return try #require(report?.first?["prometheus"] as? [String: Any])["summary"] as? [String: Any] ?? [:]
    }

    @Test("collect into PostgreSQL stores what collect into SQLite stores, resumes at its watermark and logs the run")
    func collect() async throws {
        let environment = ProcessInfo.processInfo.environment
        let prometheus = try #require(environment["HEADROOM_PROMETHEUS_URL"], "run the tests with 'make test' (scripts/with-prometheus)")
        let range = try #require(environment["HEADROOM_PROMETHEUS_RANGE"]?.split(separator: " ").compactMap { Int64($0) })
        let database = try await Database.create()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        let window = ["--prometheus", prometheus, "--start", String(range[1] - 6 * 3600), "--end", String(range[1]), "-o", "json"]

        let sqlite = try await ChildProcess.run(binary, ["collect", "--db", directory.file("h.sqlite")] + window)
        #expect(sqlite.status == 0, "\(sqlite.stderr)")
        let postgres = try await ChildProcess.run(binary, ["collect"] + database.options + window)
        #expect(postgres.status == 0, "\(postgres.stderr)")
        let inSQLite = try summary(sqlite.stdout), inPostgres = try summary(postgres.stdout)
        let buckets = try #require(inPostgres["usageBuckets"] as? Int)
        #expect(buckets > 1000)
        #expect(buckets == inSQLite["usageBuckets"] as? Int)
        #expect(inPostgres["samples"] as? Int == inSQLite["samples"] as? Int)

        // The next run starts at the stored watermark: nothing left in the window.
        let again = try await ChildProcess.run(binary, ["collect"] + database.options + ["--prometheus", prometheus, "--end", String(range[1])])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("nothing to collect"))

        let runs = try await ChildProcess.run(binary, ["db", "collections"] + database.options + ["-o", "json"])
        #expect(runs.status == 0, "\(runs.stderr)")
        let logged = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]]
        #expect(logged?.count == 1 && logged?.first?["samples"] as? Int == inPostgres["samples"] as? Int)
    }

    @Test("import into PostgreSQL is idempotent, db retain rolls up as on SQLite, db stats counts the rows")
    func importAndRetain() async throws {
        let database = try await Database.create()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let header = "timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes"
        let csv = try directory.write("usage.csv", ([header] + (0..<600).map {
            "\($0 * 60),prod,Deployment,api,app,0.\($0 % 9 + 1),\(100_000 + $0),0.5,1073741824"
        }).joined(separator: "\n") + "\n")
        let binary = try ChildProcess.headroomBinary()
        let first = try await ChildProcess.run(binary, ["import"] + database.options + [csv, "-o", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\"newContainers\":1") || first.stdout.contains("\"newContainers\" : 1"))
        let second = try await ChildProcess.run(binary, ["import"] + database.options + [csv, "-o", "json"])
        #expect(second.stdout.contains("\"newContainers\":0") || second.stdout.contains("\"newContainers\" : 0"))

        let sqlite = directory.file("h.sqlite")
        #expect(try await ChildProcess.run(binary, ["import", "--db", sqlite, csv]).status == 0)
        let retain = ["db", "retain", "--keep", "5h", "--now", "36000"]
        let onPostgres = try await ChildProcess.run(binary, retain + database.options)
        let onSQLite = try await ChildProcess.run(binary, retain + ["--db", sqlite])
        #expect(onPostgres.status == 0, "\(onPostgres.stderr)")
        #expect(onPostgres.stdout == onSQLite.stdout)
        #expect(onPostgres.stdout.hasPrefix("rolled 120 5-minute buckets"))

        // db stats: exact rows per table, sizes, the migrations applied.
        struct Stats: Decodable {
            struct Table: Decodable { var table: String; var rows: Int64?; var rowsEstimated: Bool; var bytes: Int64 }
            var migrations: [String]
            var tables: [Table]
        }
        let stats = try await ChildProcess.run(binary, ["db", "stats"] + database.options + ["-o", "json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let decoded = try JSONDecoder().decode(Stats.self, from: Data(stats.stdout.utf8))
        let rows = Dictionary(uniqueKeysWithValues: decoded.tables.map { ($0.table, $0.rows) })
        #expect(rows["usage_5m"] == 120 && rows["usage_1h"] == 10 && rows["containers"] == 1)
        #expect(decoded.migrations.count == 10 && decoded.tables.allSatisfy { !$0.rowsEstimated && $0.bytes > 0 })
    }

    @Test("a short command on PostgreSQL writes nothing to standard error: no driver warning about the pool starting or stopping")
    func quietOnPostgres() async throws {
        let database = try await Database.create()
        let binary = try ChildProcess.headroomBinary()
        for _ in 0..<5 {
            let stats = try await ChildProcess.run(binary, ["db", "stats"] + database.options)
            #expect(stats.status == 0 && stats.stderr.isEmpty, "\(stats.stderr)")
        }
    }

    @Test("a URL carrying a password is a usage error that does not repeat it")
    func passwordInURL() async throws {
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(),
                                                ["import", "--db", "postgres://headroom:hunter2-secret@127.0.0.1:1/x", "/dev/null"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--db-password-file") && !result.stderr.contains("hunter2-secret"))
    }
}
