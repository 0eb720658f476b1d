import ArgumentParser
import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomHistory

/// `headroom import FILE…`: usage CSV or Prometheus/OpenMetrics text into the history store.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import usage history from CSV or Prometheus/OpenMetrics text files.",
        discussion: """
            All files are parsed first and then stored in one transaction: a malformed line aborts the whole import with FILE:LINE: reason and leaves the store exactly as it was. Importing the same data again changes nothing.

            CSV header: timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes (unix seconds), optionally followed by cluster, pod, cpu_request_cores, memory_request_bytes, cpu_limit_cores, memory_limit_bytes, replicas, node_pool, zone, hpa_min_replicas, hpa_max_replicas, hpa_target_cpu_percent, event. Exposition text: cAdvisor and kube-state-metrics names with timestamps; OpenMetrics when the file ends in '# EOF' (timestamps in seconds), else Prometheus text format (milliseconds).

            Examples:
              headroom import usage.csv
              headroom import --db /var/lib/headroom.sqlite cadvisor.om ksm.om
              headroom import --format prometheus scrape.txt -o json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "File format: csv, openmetrics or prometheus. Default: by extension and content.")
    var format: FileImport.Format?

    @Argument(help: ArgumentHelp("Files to import.", valueName: "file"))
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file to import") }
    }

    func run() async throws {
        let progress = ProgressReporter()
        let started = ContinuousClock.now
        // The store first: a wrong --db fails before minutes of parsing.
        let store = try await store.openBackend()
        var batches: [CollectedBatch] = []
        for file in files {
            progress.note("parsing \(file)")
            batches.append(try FileImport.load(path: file, format: format))
        }
        let summary = try await store.ingest(batches) { step in
            progress.update("writing", done: step.rowsWritten, total: step.rowsTotal)
        }
        let seconds = (ContinuousClock.now - started).secondsValue
        let report = ImportReport(files: files, summary: summary, seconds: seconds, store: store.location)
        print(try Render.output(report, format: output.format) { report.table }, terminator: "")
    }
}

/// What `headroom import` prints.
struct ImportReport: Encodable {
    var files: [String]
    var summary: IngestSummary
    var seconds: Double
    var store: String

    var table: String {
        var lines = [
            "imported \(files.count) file(s) into \(store) in \(String(format: "%.2f", seconds)) s",
            "  raw samples:      \(summary.rawSamples)",
            "  usage buckets:    \(summary.usageRows)",
            "  inventory rows:   \(summary.inventoryRows)",
            "  events:           \(summary.eventRows)",
            "  new containers:   \(summary.newContainers)",
        ]
        if summary.skippedBeforeHorizon > 0 {
            lines.append("  skipped (older than the 5-minute retention, already rolled up): \(summary.skippedBeforeHorizon)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension FileImport.Format: ExpressibleByArgument {}
