import ArgumentParser
import Foundation
import HeadroomDemo

/// `headroom fixtures generate`: writes the demo cluster's history.
struct FixturesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixtures",
        abstract: "Generate the TerraFusionProfessional demo cluster's history.",
        subcommands: [Generate.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the demo cluster's usage history as CSV (deterministic for a seed).",
            discussion: """
                The history covers production (3 zones; node pools frontend, backend, data), staging and development with daily and weekly cycles, growth, noise and bursts, a memory leak ending in OOM kills (production payment-processor), a development workload idle for the last week (user-service) and several over-provisioned requests.

                Examples:
                  headroom fixtures generate        # usage.csv and cluster.prom
                  headroom fixtures generate --days 28 --seed 7 --out /tmp/demo.csv
                  headroom fixtures generate --format openmetrics --days 2 --out /tmp/demo.om
                  headroom fixtures generate --workloads 250 --pods-per-workload 4 \\
                    --days 7 --format openmetrics --out /tmp/1000-pods.om
                  promtool tsdb create-blocks-from openmetrics /tmp/demo.om /tmp/tsdb
                """
        )

        @Option(help: "Output file (a directory with --split-hours).")
        var out: String = "fixtures/terrafusion/generated/usage.csv"

        @Option(help: "csv (Headroom's usage CSV) or openmetrics (cAdvisor and kube-state-metrics series, for promtool backfill).")
        var format: Format = .csv

        enum Format: String, ExpressibleByArgument { case csv, openmetrics }

        @Option(help: "Random seed: the same seed gives the same file.")
        var seed: UInt64 = DemoClusterGenerator.Options().seed

        @Option(help: "Days of history.")
        var days: Int = DemoClusterGenerator.Options().days

        @Option(help: "End of the history, unix seconds (default 2026-11-23T00:00:00Z).")
        var end: Int64 = DemoClusterGenerator.Options().end

        @Option(help: "Also write the cluster's nodes and ResourceQuotas (kube-state-metrics series) here; '' to skip.")
        var clusterOut: String = "fixtures/terrafusion/generated/cluster.prom"

        @Option(help: "Seconds between samples of one pod; must divide 300.")
        var sampleInterval: Int64 = DemoClusterGenerator.Options().sampleInterval

        @Option(help: ArgumentHelp("Workloads in the cluster (default: the demo's 20); more repeat the demo's shapes, named NAME-2, NAME-3…", valueName: "n"))
        var workloads: Int?

        @Option(help: ArgumentHelp("Pods of each workload at peak, with --workloads (default 4).", valueName: "k"))
        var podsPerWorkload: Int = 4

        @Option(help: ArgumentHelp("With --format openmetrics: also N nodes and N PersistentVolumes of a second cluster \"scale\", observed 6 h before --end (collector tests at scale).", valueName: "n"))
        var scaleObjects: Int = 0

        @Option(help: ArgumentHelp("With --format openmetrics: also N pods of a cluster \"jitter\" scraped every ~60 s with offsets, jitter, a restart and a missed scrape, over the day before --end (raw vs downsampled collection tests).", valueName: "n"))
        var jitteredPods: Int = 0

        @Option(help: ArgumentHelp("With --format openmetrics: write one file per H hours into the directory --out (0000.om, 0001.om…), holding one window in memory; promtool backfills each in one pass.", valueName: "h"))
        var splitHours: Int?

        func validate() throws {
            guard days > 0 && days <= 400 else { throw ValidationError("--days must be between 1 and 400, got \(days)") }
            if let workloads { guard (1...100_000).contains(workloads) else { throw ValidationError("--workloads must be 1…100000") } }
            guard (1...1_000).contains(podsPerWorkload) else { throw ValidationError("--pods-per-workload must be 1…1000") }
            guard (0...100_000).contains(scaleObjects) else { throw ValidationError("--scale-objects must be 0…100000") }
            guard scaleObjects == 0 || format == .openmetrics else { throw ValidationError("--scale-objects needs --format openmetrics") }
            guard (0...100).contains(jitteredPods) else { throw ValidationError("--jittered-pods must be 0…100") }
            guard jitteredPods == 0 || format == .openmetrics else { throw ValidationError("--jittered-pods needs --format openmetrics") }
            if let splitHours {
                guard format == .openmetrics else { throw ValidationError("--split-hours needs --format openmetrics") }
                guard (1...24 * 400).contains(splitHours) else { throw ValidationError("--split-hours must be 1…9600") }
                guard scaleObjects == 0 && jitteredPods == 0 else { throw ValidationError("--split-hours writes the demo workloads only (no --scale-objects, --jittered-pods)") }
            }
            guard sampleInterval > 0 && 300 % sampleInterval == 0 else {
                throw ValidationError("--sample-interval must divide 300 seconds, got \(sampleInterval)")
            }
        }

        func run() async throws {
            var options = DemoClusterGenerator.Options()
            options.seed = seed
            options.days = days
            options.end = end
            options.sampleInterval = sampleInterval
            let directory = (out as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let generator = DemoClusterGenerator(options: options,
                                                 workloads: workloads.map { DemoCluster.scaled(workloads: $0, podsPerWorkload: podsPerWorkload) } ?? DemoCluster.workloads)
            switch format {
            case .csv:
                let rows = try DemoCSVWriter.write(generator, to: out)
                print("wrote \(rows) samples (\(days) days, seed \(seed)) to \(out)")
            case .openmetrics where splitHours != nil:
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                var files = 0
                try DemoOpenMetricsWriter.render(generator, windowSeconds: Int64(splitHours ?? 1) * 3600) { index, text in
                    let name = String(repeating: "0", count: max(0, 4 - String(index).count)) + "\(index).om"
                    try text.write(toFile: (out as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
                    files += 1
                }
                print("wrote OpenMetrics (\(days) days, seed \(seed)) to \(files) files of \(splitHours ?? 1) h in \(out)")
            case .openmetrics:
                var text = DemoOpenMetricsWriter.render(generator)
                if scaleObjects > 0 || jitteredPods > 0, text.hasSuffix("# EOF\n") {
                    text.removeLast("# EOF\n".count)
                    if scaleObjects > 0 { text += DemoScaleObjects.openMetrics(nodes: scaleObjects, volumes: scaleObjects, time: end - 6 * 3600) }
                    if jitteredPods > 0 { text += DemoJitteredScrapes.openMetrics(pods: jitteredPods, hours: 24, end: end) }
                    text += "# EOF\n"
                }
                try text.write(toFile: out, atomically: true, encoding: .utf8)
                print("wrote OpenMetrics (\(days) days, seed \(seed)\(scaleObjects > 0 ? ", \(scaleObjects) scale nodes and volumes" : "")) to \(out)")
            }
            if !clusterOut.isEmpty {
                let folder = (clusterOut as NSString).deletingLastPathComponent
                if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                try DemoClusterObjects.write(to: clusterOut, time: end - 300)
                print("wrote \(DemoClusterObjects.nodes.count) nodes and \(DemoClusterObjects.quotas.count) quota lines to \(clusterOut)")
            }
        }
    }
}
