import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomHistoryPostgres

/// `headroom db …`: inspect and maintain the history store.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect and maintain the history store.",
        subcommands: [Stats.self, Retain.self, Collections.self]
    )

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Row counts, content digests and integrity of the history store.",
            discussion: """
                On a PostgreSQL store: each table's rows (exact under 1 GB, PostgreSQL's estimate above) and its size with indexes, and the migrations applied.

                Examples:
                  headroom db stats
                  headroom db stats -o json
                  headroom db stats --db postgres://hr@db/headroom --db-password-file pw
                """
        )
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            if self.store.isPostgres {
                try await postgres()
                return
            }
            let store = try store.openSQLite(existing: true)
            let report = StatsReport(store: store.path, journalMode: try store.journalMode(),
                                     integrity: try store.integrityCheck(), tables: try store.contentDigests())
            print(try Render.output(report, format: output.format) {
                var table = TextTable(headers: ["TABLE", "ROWS", "DIGEST"])
                table.rightAligned = [1]
                table.rows = report.tables.map { [$0.table, String($0.rows), $0.digest] }
                return "\(report.store) (journal \(report.journalMode), integrity \(report.integrity))\n" + table.render()
            }, terminator: "")
        }
    }

    /// `db stats` on a PostgreSQL store: its tables' rows and sizes (digests and integrity are the SQLite file's own).
    struct PostgresStatsReport: Encodable {
        var store: String
        var migrations: [String]
        var tables: [PostgresTableSize]
    }

    struct Collections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the latest collection runs cost their source: queries, points, bytes, seconds.",
            discussion: "Examples:\n  headroom db collections\n  headroom db collections --limit 5 -o json"
        )
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "Runs to show, newest first.")
        var limit: Int = 20

        @Option(help: "Only runs of this source (as in 'db stats' watermarks, e.g. prometheus:http://127.0.0.1:9090).")
        var source: String?

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1…10000") }
        }

        func run() async throws {
            let runs = try await store.openBackend(existing: true).collectionRuns(source: source, limit: limit)
            print(try Render.output(runs, format: output.format) {
                guard !runs.isEmpty else { return "no collection runs recorded\n" }
                var table = TextTable(headers: ["STARTED", "SOURCE", "MODE", "RANGE", "QUERIES", "SERIES", "POINTS", "BYTES", "SPLITS", "SECONDS"])
                table.rightAligned = [4, 5, 6, 7, 8, 9]
                table.rows = runs.map {
                    [isoTime($0.startedAt), $0.source, $0.mode, "\(($0.end - $0.start) / 3600) h", String($0.queries), String($0.series),
                     String($0.samples), String($0.bytes), String($0.overloadSplits), String(format: "%.1f", $0.seconds)]
                }
                return table.render()
            }, terminator: "")
        }
    }

    struct Retain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Roll 5-minute buckets older than the retention window up to hourly ones.",
            discussion: "Examples:\n  headroom db retain                 # keep 35 days at 5 minutes\n  headroom db retain --keep 60d --now 1795392000"
        )
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "How long to keep 5-minute buckets.")
        var keep: String = "35d"

        @Option(help: "Reference time, unix seconds. Default: the current time.")
        var now: Int64?

        func validate() throws {
            do { _ = try DurationParser.seconds(keep) } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let store = try await store.openBackend(existing: true)
            let reference = now ?? Int64(Date().timeIntervalSince1970)
            let summary = try await store.applyRetention(
                now: reference, policy: RetentionPolicy(fiveMinuteRetentionSeconds: try DurationParser.seconds(keep)))
            print(try Render.output(summary, format: output.format) {
                "rolled \(summary.fiveMinuteRowsRolledUp) 5-minute buckets before \(isoTime(summary.horizon)) into \(summary.hourlyRowsWritten) hourly buckets\n"
            }, terminator: "")
        }
    }
}

/// What `headroom db stats` prints.
struct StatsReport: Encodable {
    var store: String
    var journalMode: String
    var integrity: String
    var tables: [TableDigest]
}

extension DatabaseCommand.Stats {
    private func postgres() async throws {
        guard let backend = try await store.openBackend(existing: true) as? PostgresHistoryStore else { return }
        defer { backend.close() }
        let report = DatabaseCommand.PostgresStatsReport(store: backend.location, migrations: try await backend.appliedMigrations(),
                                                         tables: try await backend.tableSizes())
        print(try Render.output(report, format: output.format) {
            var table = TextTable(headers: ["TABLE", "ROWS", "BYTES"])
            table.rightAligned = [1, 2]
            table.rows = report.tables.map { size in
                [size.table, size.rows.map { (size.rowsEstimated ? "≈" : "") + String($0) } ?? "-", String(size.bytes)]
            }
            return "\(report.store) (\(report.migrations.count) migrations, last \(report.migrations.last ?? "none"))\n" + table.render()
        }, terminator: "")
    }
}
