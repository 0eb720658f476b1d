import Foundation
import HeadroomTesting
import Testing

/// The commands that read through the Engine give the same answers on a PostgreSQL store as on
/// a SQLite file holding the same history: the demo cluster imported into both, then each
/// command run on each, byte for byte (against the real PostgreSQL of `scripts/with-postgres`).
// Serialized: each test imports the demo twice, and run side by side they starve the rest of the
// suite on 2 cores (under AddressSanitizer an in-process server then missed a 30 s deadline).
@Suite(.serialized) struct PostgresEngineCommandTests {
    /// The demo imported and allocated into a SQLite file and into a fresh PostgreSQL database.
    struct TwoStores {
        let demo: DemoStore
        let database: PostgresStoreCommandTests.Database

        static func make(in directory: TemporaryDirectory) async throws -> TwoStores {
            let stores = TwoStores(demo: try DemoStore(in: directory), database: try await PostgresStoreCommandTests.Database.create())
            for arguments in [["import"] + stores.demo.files, ["cost", "allocate"]] {
                let (sqlite, postgres) = try await stores.run(arguments)
                #expect(sqlite.status == 0 && postgres.status == 0, "\(arguments): \(sqlite.stderr) \(postgres.stderr)")
            }
            return stores
        }

        /// `headroom ARGUMENTS` on the SQLite file, then on PostgreSQL.
        func run(_ arguments: [String]) async throws -> (sqlite: ChildProcess.Result, postgres: ChildProcess.Result) {
            let sqlite = try await demo.run(arguments)
            let postgres = try await ChildProcess.run(demo.binary, arguments + database.options, environment: ["HEADROOM_MODELS": DemoStore.models])
            return (sqlite, postgres)
        }
    }

    static let budgets = DemoStore.root.appendingPathComponent("models/budgets/terrafusion.example.yaml").path

    /// The read-only commands, all on one pair of stores (the imports are the slow part).
    static let readers = [
        ["assess", "--budgets", budgets, "--now", "1795395600", "-o", "json"],
        ["advise", "-o", "json"],
        ["usage", "--since", "7d", "-o", "json"],
        ["cost", "report", "--by", "label:team", "-o", "json"],
        ["cost", "report", "--clusters", "all", "-o", "json"],
        ["budget", "check", "--budgets", budgets, "-o", "json"],
    ]

    @Test("assess, advise, usage, cost report (one cluster and the fleet) and budget check print the same on both backends")
    func sameAnswers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stores = try await TwoStores.make(in: directory)
        for arguments in Self.readers {
            let (sqlite, postgres) = try await stores.run(arguments)
            // `budget check` exits 3 when a budget is projected over: the same on both.
            #expect([0, 3].contains(sqlite.status), "\(arguments): \(sqlite.stderr)")
            #expect(postgres.status == sqlite.status, "\(arguments): \(postgres.stderr)")
            #expect(sqlite.stdout.count > 200, "\(arguments)")
            #expect(postgres.stdout == sqlite.stdout, "\(arguments)")
        }
    }

    @Test("reclaim records its plan in the store's audit trail on PostgreSQL as on SQLite")
    func reclaimAudit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stores = try await TwoStores.make(in: directory)
        let plan = try await stores.run(["reclaim", "-o", "json"])
        #expect(plan.sqlite.status == 0 && plan.postgres.status == 0, "\(plan.postgres.stderr)")
        // The plan records where its store is; everything else is the same.
        #expect(plan.postgres.stdout.replacingOccurrences(of: stores.database.url, with: stores.demo.store) == plan.sqlite.stdout)
        let history = try await stores.run(["reclaim", "--history", "-o", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(history.postgres.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.count == 1 && (entries?.first?["items"] as? Int ?? 0) > 0, "\(history.postgres.stderr)")
    }

    @Test("the weekly report's files (HTML, Markdown, CSV, JSON) are the same on both backends")
    func weeklyReport() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stores = try await TwoStores.make(in: directory)
        let out = (sqlite: directory.file("report-sqlite"), postgres: directory.file("report-postgres"))
        let common = ["report", "weekly", "--budgets", Self.budgets, "--format", "html,md,csv,json", "--now", "1795395600"]
        let sqlite = try await stores.demo.run(common + ["--out", out.sqlite])
        let postgres = try await ChildProcess.run(stores.demo.binary, common + ["--out", out.postgres] + stores.database.options,
                                                  environment: ["HEADROOM_MODELS": DemoStore.models])
        #expect(sqlite.status == 0 && postgres.status == 0, "\(sqlite.stderr) \(postgres.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.sqlite).sorted()
        #expect(files.contains { $0.hasSuffix(".html") } && files.contains { $0.hasSuffix(".json") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.postgres).sorted() == files)
        for file in files {
            let ours = try String(contentsOfFile: "\(out.postgres)/\(file)", encoding: .utf8)
            #expect(ours == (try String(contentsOfFile: "\(out.sqlite)/\(file)", encoding: .utf8)), "\(file)")
        }
    }

    @Test("alerts run decides and queues the same on PostgreSQL, and alerts status reads it back")
    func alerts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stores = try await TwoStores.make(in: directory)
        let rules = try directory.write("alerts.yaml", """
            sinks:
              - {name: hook, type: webhook, url: "http://127.0.0.1:9/hook"}
            rules:
              - {name: budget-forecast, kind: budgetForecast, percentile: p50, severity: critical, sinks: [hook]}
            """)
        let run = try await stores.run(["alerts", "run", "--rules", rules, "--budgets", Self.budgets, "--now", "1795395600", "--no-send", "-o", "json"])
        // Exit 3: a critical alert fires (the demo's development budget), on both.
        #expect(run.sqlite.status == 3 && run.postgres.status == 3, "\(run.sqlite.stderr) \(run.postgres.stderr)")
        #expect(run.postgres.stdout == run.sqlite.stdout)
        let status = try await stores.run(["alerts", "status", "-o", "json"])
        #expect(status.postgres.status == 0, "\(status.postgres.stderr)")
        #expect(status.postgres.stdout == status.sqlite.stdout)
        #expect(status.postgres.stdout.contains("budget-forecast"))
    }
}
