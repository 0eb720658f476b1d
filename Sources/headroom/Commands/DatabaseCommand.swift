import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomHistory

/// `headroom db …`: inspect and maintain the history store.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect and maintain the history store.",
        subcommands: [Stats.self, Retain.self]
    )

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Row counts, content digests and integrity of the history store.",
            discussion: "Examples:\n  headroom db stats\n  headroom db stats -o json"
        )
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let store = try store.openExisting()
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
            let store = try store.openExisting()
            let reference = now ?? Int64(Date().timeIntervalSince1970)
            let summary = try store.applyRetention(
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
