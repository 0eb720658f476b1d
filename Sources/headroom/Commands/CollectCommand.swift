import ArgumentParser
import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomHTTP
import HeadroomHistory

/// `headroom collect`: usage and inventory from Prometheus into the history store.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect usage and inventory from Prometheus and the Kubernetes API.",
        discussion: """
            By default Prometheus summarises every 5-minute bucket itself (query_range subqueries: the sample count, the mean CPU rate and the largest per-scrape rate, the mean and largest working set, the last value of kube-state-metrics series), so a query returns a few points per bucket whatever the scrape interval. --raw reads every raw sample instead (range selectors, under 11,000 points per series) and buckets them exactly as 'headroom import' does; docs/collection.md gives how far the two may differ. Queries are sized by the samples they touch (--max-samples-per-query); a query Prometheus refuses as too big (422, 503) is split and asked again after a backoff; --max-query-rate spaces them out. Each chunk is stored with its watermark in one transaction: an interrupted run keeps what it finished, and the next run resumes at the watermark with no duplicate and no gap. Transient failures (timeouts, 5xx, truncated answers) are retried with exponential backoff and jitter; a rejected query (400, or a 422 other than too many samples) stops with its text.

            With --kubeconfig (or --in-cluster) it also takes an inventory snapshot from the Kubernetes API: nodes, pods rolled up to Deployments/StatefulSets/DaemonSets with requests, limits, replicas, placement and HPAs, OOM kills, ResourceQuotas, LimitRanges, VPAs, and live usage from metrics.k8s.io. Exec credential plugins and auth-providers cannot run here: use a token or a client certificate.

            Examples:
              headroom collect --prometheus http://127.0.0.1:9090 --since 14d
              headroom collect --prometheus https://thanos.example:10902 \\
                --ca-file ca.pem --bearer-token-file token \\
                --header 'X-Scope-OrgID: team-a' --namespace production
              headroom collect --prometheus http://127.0.0.1:9090 \\
                --start 1795219200 --end 1795392000 -o json
              headroom collect --prometheus http://127.0.0.1:9090 --raw \\
                --scrape-interval 30s
              headroom collect --prometheus https://mimir.example/prometheus \\
                --max-query-rate 2 --concurrency 1 --max-samples-per-query 1000000
              headroom collect --kubeconfig ~/.kube/config --context prod \\
                --cluster prod-eks
              headroom collect --in-cluster --prometheus http://prometheus.monitoring:9090
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Prometheus base URL (also Thanos, Mimir, VictoriaMetrics).", valueName: "url"))
    var prometheus: String?

    @Option(help: ArgumentHelp("Kubeconfig for an inventory snapshot from the Kubernetes API.", valueName: "path"))
    var kubeconfig: String?

    @Option(help: "Kubeconfig context (default: its current-context).")
    var context: String?

    @Flag(help: "Use the pod's service account for the Kubernetes API.")
    var inCluster = false

    @Option(help: "Name to file the Kubernetes snapshot under.")
    var cluster: String = ContainerID.defaultCluster

    @Option(help: "How far back to start when the store has no watermark for this Prometheus.")
    var since: String = "14d"

    @Option(help: "Start at this unix time instead of the watermark or --since.")
    var start: Int64?

    @Option(help: "End at this unix time (default: now, less a minute for late scrapes).")
    var end: Int64?

    @Option(help: "Only these namespaces (repeatable).")
    var namespace: [String] = []

    @Option(help: ArgumentHelp("Query set YAML (default: cAdvisor + kube-state-metrics, see models/queries/default.yaml).", valueName: "path"))
    var querySet: String?

    @Option(help: "Scrape interval of the source ('auto': the median of the CPU series over the hour up to their newest sample), used to size queries and the CPU peak step.")
    var scrapeInterval: String = "auto"

    @Flag(help: "Read every raw sample and bucket here, instead of letting Prometheus summarise each 5-minute bucket.")
    var raw = false

    @Option(help: "Samples a query may touch at most (series × scrapes in its range); bigger selections are split.")
    var maxSamplesPerQuery: Int = CollectionPlan.defaultMaxSamplesPerQuery

    @Option(help: "Downsampled points one chunk may bring back (memory follows it; bigger clusters get shorter chunks).")
    var maxPointsPerChunk: Int = CollectionPlan.defaultMaxPointsPerChunk

    @Option(help: ArgumentHelp("Queries per second at most (0: no limit).", valueName: "rate"))
    var maxQueryRate: Double = 0

    @Option(help: "Points per series per query at most (Prometheus refuses more than 11,000): raw samples, or downsampled buckets.")
    var maxPointsPerSeries: Int = 11_000

    @Option(help: "Series per query at most (besides --max-samples-per-query); larger selections are split by namespace, then pod or another label (node, persistentvolume).")
    var maxSeriesPerQuery: Int = CollectionPlan.defaultMaxSeriesPerQuery

    @Option(help: "Queries in flight at once.")
    var concurrency: Int = 2

    @Flag(help: "Ask Prometheus for gzip-compressed answers: a third of the bytes, twice its CPU (worth it over slow links).")
    var compressed = false

    @Flag(help: "Send Prometheus queries as GET instead of form POST (for proxies that allow only GET).")
    var httpGet = false

    @Flag(inversion: .prefixedNo, help: "Also read the 5-minute bucket still open at the end (short downsampled runs); it is stored as partial, not watermarked, and the next run's whole bucket replaces it.")
    var openBucket = true

    func validate() throws {
        guard prometheus != nil || kubeconfig != nil || inCluster else {
            throw ValidationError("name a source: --prometheus URL, --kubeconfig PATH or --in-cluster")
        }
        if kubeconfig != nil && inCluster { throw ValidationError("--kubeconfig and --in-cluster exclude each other") }
        if let prometheus, !(prometheus.hasPrefix("http://") || prometheus.hasPrefix("https://")) {
            throw ValidationError("--prometheus must be an http:// or https:// URL, got \"\(prometheus)\"")
        }
        guard maxPointsPerChunk >= 10_000 else { throw ValidationError("--max-points-per-chunk must be at least 10000") }
        guard maxSamplesPerQuery >= 1000 else { throw ValidationError("--max-samples-per-query must be at least 1000") }
        guard maxQueryRate >= 0 && maxQueryRate.isFinite else { throw ValidationError("--max-query-rate must be a number of queries per second, 0 for no limit") }
        for duration in [since] + (scrapeInterval == "auto" ? [] : [scrapeInterval]) {
            do { _ = try DurationParser.seconds(duration) } catch { throw ValidationError(error.description) }
        }
        guard concurrency >= 1 && concurrency <= 64 else { throw ValidationError("--concurrency must be 1…64") }
        guard maxPointsPerSeries >= 100 else { throw ValidationError("--max-points-per-series must be at least 100") }
        if let start, let end, start >= end { throw ValidationError("--start must be before --end") }
    }

    func run() async throws {
        let history = try await store.openBackend()
        var reports: [CollectReport] = []
        if kubeconfig != nil || inCluster {
            reports.append(try await snapshotKubernetes(into: history))
        }
        if let prometheus {
            reports.append(try await collectPrometheus(prometheus, into: history))
        }
        print(try Render.output(reports, format: output.format) { reports.map(\.table).joined() }, terminator: "")
    }

    private func snapshotKubernetes(into history: any HistoryBackend) async throws -> CollectReport {
        let secrets = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-kube-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: secrets) }
        let connection = try kubeconfig.map { try KubernetesConnection.fromKubeconfig(path: $0, context: context, secretsDirectory: secrets) }
            ?? KubernetesConnection.inCluster()
        let api = KubernetesAPI(connection: connection, timeout: .seconds(try DurationParser.seconds(self.connection.timeout)))
        let started = ContinuousClock.now
        let snapshot = try await KubernetesSource(api: api, cluster: cluster)
            .snapshot(now: Int64(Date().timeIntervalSince1970), namespaces: namespace)
        for warning in snapshot.warnings { printError("warning: \(warning)") }
        _ = try await history.ingest([snapshot.batch], progress: nil)
        return CollectReport(kubernetes: KubernetesReport(
            server: connection.server, pods: snapshot.podCount, containers: snapshot.batch.inventory.count,
            nodes: snapshot.batch.cluster?.nodes.count ?? 0, quotaLines: snapshot.batch.cluster?.quotas.count ?? 0,
            vpas: snapshot.batch.cluster?.vpas.count ?? 0, liveUsageSamples: snapshot.batch.rawSampleCount,
            warnings: snapshot.warnings, seconds: (ContinuousClock.now - started).secondsValue))
    }

    private func collectPrometheus(_ prometheus: String, into history: any HistoryBackend) async throws -> CollectReport {
        var configuration = try connection.configuration()
        configuration.acceptCompressed = compressed
        let client = CurlHTTPClient(configuration: configuration)
        let seed = UInt64(truncatingIfNeeded: Int64(Date().timeIntervalSince1970 * 1000))
        let api = PrometheusAPI(baseURL: prometheus, client: client, retry: RetryPolicy(seed: seed), useGET: httpGet,
                                maxQueriesPerSecond: maxQueryRate > 0 ? maxQueryRate : nil)
        let collector = PrometheusCollector(api: api, querySet: try querySet.map(PrometheusQuerySet.load) ?? .default)

        let window = CollectionWindow.resolve(start: start, end: end, watermark: try await history.watermark(source: collector.sourceName),
                                              sinceSeconds: try DurationParser.seconds(since), now: Int64(Date().timeIntervalSince1970))
        let mode: CollectionMode = raw ? .raw : .downsampled
        let (interval, detected) = try await collector.scrapeInterval(
            configured: scrapeInterval == "auto" ? nil : try DurationParser.seconds(scrapeInterval), before: window.end, namespaces: namespace)
        if detected { printError("scrape interval: \(interval) s (median of the CPU series over the hour up to their newest sample)") }
        let (chunk, series) = try await collector.chunkSeconds(for: window, mode: mode, scrapeIntervalSeconds: interval, maxPointsPerSeries: maxPointsPerSeries,
                                                               maxPointsPerChunk: maxPointsPerChunk, namespaces: namespace)
        if let series {
            printError("chunks of \(String(format: "%.1f", Double(chunk) / 3600)) h for \(series) CPU and memory series (--max-points-per-chunk \(maxPointsPerChunk))")
        }
        let plan = CollectionPlan(start: window.start, end: window.end, chunkSeconds: chunk, namespaces: namespace,
                                  maxSeriesPerQuery: maxSeriesPerQuery, concurrency: concurrency, mode: mode,
                                  scrapeIntervalSeconds: interval, maxSamplesPerQuery: maxSamplesPerQuery,
                                  openBucketEnd: openBucket ? window.end : nil)
        guard plan.start < plan.end else {
            printError("nothing to collect: \(collector.sourceName) is collected up to \(isoTime(plan.start))")
            return CollectReport(prometheus: PrometheusReport(source: collector.sourceName, summary: nil))
        }
        printError("collecting \(isoTime(plan.start)) … \(isoTime(plan.end)) from \(prometheus) in \(plan.chunks.count) chunk(s), \(plan.mode.rawValue)")
        let reporter = ProgressReporter()
        let startedAt = Int64(Date().timeIntervalSince1970)
        let summary = try await collector.collect(plan, store: { batch in
            _ = try await history.ingest([batch], progress: nil)
        }, progress: { step in
            reporter.collection(step)
        })
        try await history.record(CollectionRun(
            source: collector.sourceName, mode: summary.mode.rawValue, startedAt: startedAt, start: summary.start, end: summary.end,
            chunks: summary.chunks, queries: summary.queries, series: summary.series, samples: summary.samples,
            bytes: summary.bytesReceived, overloadSplits: summary.overloadSplits, seconds: summary.seconds))
        return CollectReport(prometheus: PrometheusReport(source: collector.sourceName, summary: summary))
    }
}

/// What `headroom collect` prints, one entry per source.
struct CollectReport: Encodable {
    var prometheus: PrometheusReport?
    var kubernetes: KubernetesReport?

    var table: String { (kubernetes?.table ?? "") + (prometheus?.table ?? "") }
}

struct KubernetesReport: Encodable {
    var server: String
    var pods: Int
    var containers: Int
    var nodes: Int
    var quotaLines: Int
    var vpas: Int
    var liveUsageSamples: Int
    var warnings: [String]
    var seconds: Double

    var table: String {
        """
        inventory snapshot from \(server)
          pods:            \(pods) in \(containers) workload containers
          nodes:           \(nodes)
          quota lines:     \(quotaLines)
          VPAs:            \(vpas)
          live usage:      \(liveUsageSamples) samples from metrics.k8s.io
          warnings:        \(warnings.count)
          time:            \(String(format: "%.1f", seconds)) s

        """
    }
}

struct PrometheusReport: Encodable {
    var source: String
    /// Nil when the store was already up to date.
    var summary: CollectionSummary?

    var table: String {
        guard let summary else { return "\(source): up to date\n" }
        let perSecond = summary.seconds > 0 ? Double(summary.samples) / summary.seconds : 0
        let queriesPerSeries = summary.series > 0 ? Double(summary.queries) / Double(summary.series) : 0
        let shares = summary.timings.shares
        func percent(_ value: Double) -> String { "\(Int(value.rounded()))%" }
        return """
            collected \(isoTime(summary.start)) … \(isoTime(summary.end)) from \(source)
              chunks:          \(summary.chunks)
              series read:     \(summary.series)
              mode:            \(summary.mode.rawValue)
              samples:         \(summary.samples) returned (\(Int(perSecond)) /s), \(formatBytes(summary.bytesReceived))
              usage buckets:   \(summary.usageBuckets)\(summary.openBucketEnd.map { " (the last one open, read until \(isoTime($0)))" } ?? "")
              gaps found:      \(summary.gaps) missing 5-minute CPU buckets
              non-finite:      \(summary.nonFiniteSamplesSkipped) NaN/Inf samples skipped
              queries:         \(summary.queries) (\(String(format: "%.2f", queriesPerSeries)) per series read, \(summary.overloadSplits) split after 422/503)
              time:            \(String(format: "%.1f", summary.seconds)) s (HTTP \(percent(shares.http)), JSON \(percent(shares.decode)), bucketing \(percent(shares.bucket)), store \(percent(shares.store)))

            """
    }
}

/// Bytes as KiB/MiB/GiB with one decimal.
private func formatBytes(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
}
