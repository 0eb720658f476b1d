import ArgumentParser
import Foundation
import HeadroomAlerts
import HeadroomCollect
import HeadroomConfig
import HeadroomCore
import HeadroomEngine
import HeadroomHTTP
import HeadroomReports
import HeadroomService
import Hummingbird
import Logging
import ServiceLifecycle

/// `headroom serve`: the recommender service. Publishes the Assessment of the store every
/// cycle and answers the HTTP API from the last good one.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the recommender service: the assessment every cycle, served over HTTP.",
        discussion: """
            Every --assess-interval (and on POST /v1/cycles) the service collects (--prometheus, --kubeconfig) and computes the assessment of the store, the same document 'headroom assess -o json' prints, and publishes it; every --collect-interval in between it only collects, so the store stays current and each collection stays short. The HTTP API answers from the last good one: a failed cycle is logged and the previous assessment stays served, while /readyz turns unready once the last good cycle is older than --staleness.

            Endpoints: /healthz; /readyz; /metrics (Prometheus text: recommendations named like kube-state-metrics' VPA series, HPA advice, next-hour forecasts, monthly costs, budget ratios, and the service's own cycle figures); /v1/assessment; /v1/recommendations?namespace=&kind=&workload=; /v1/workloads/NAMESPACE/KIND/NAME; /v1/budgets; /v1/reclaim; /v1/keda/NAMESPACE/WORKLOAD (next-hour demand and replicas for KEDA's metrics-api scaler); /v1/reports/weekly?format=html|md|json (with --weekly-report: the last complete week's report, delivered by --smtp/--post at --report-at, once per week and channel, recorded in the store); POST /v1/cycles. Every /v1 answer has an ETag and Last-Modified from the cycle it renders, and If-None-Match gets 304. With --token-file, /v1 needs 'Authorization: Bearer TOKEN' (401 without, 403 when wrong); POST /v1/cycles always needs it. The probes stay open, and so does /metrics unless --protect-metrics.

            It listens on 127.0.0.1 unless --listen says otherwise. SIGTERM or SIGINT stops it: the cycle running finishes, then it exits 0. --once runs one cycle, prints its outcome and exits (0 when it published an assessment, 1 when it failed) without listening.

            Examples:
              headroom serve --db headroom.sqlite
              headroom serve --listen "$POD_IP:8080" --token-file /etc/headroom/token
              headroom serve --prometheus http://prometheus:9090 --budgets b.yaml
              headroom serve --in-cluster --write-vpa-status
              headroom serve --once --db headroom.sqlite
              headroom serve --config /etc/headroom/serve.yaml --log-format json
              curl -s 'localhost:8080/v1/recommendations?namespace=production'
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var options: AssessmentOptions
    @Option(help: ArgumentHelp("Settings in YAML (models/serve/serve.example.yaml); flags, then HEADROOM_SERVE_* variables, win over it.", valueName: "path"))
    var config: String?
    @Option(help: ArgumentHelp("Address to listen on, HOST:PORT (port 0: any free one). Default: 127.0.0.1:8080.", valueName: "host:port")) var listen: String?
    @Option(help: "Time between cycles (collect, then assess and publish). Default: 15m.") var assessInterval: String?
    @Option(help: "Time between collections from Prometheus and the Kubernetes API in between cycles. Default: 5m.") var collectInterval: String?
    @Option(help: "Age of the last good cycle at which /readyz turns unready. Default: 1h.") var staleness: String?
    @Option(help: ArgumentHelp("File holding the bearer token /v1 needs (its first line).", valueName: "path")) var tokenFile: String?
    @Flag(help: "Require the bearer token (--token-file) for /metrics too; by default scrapers read it without one.") var protectMetrics = false
    @Flag(help: "Run one cycle, print its outcome and exit.") var once = false
    @Option(help: "Log line format on standard error: logfmt or json (one line per cycle, with its figures). Default: logfmt.") var logFormat: String?
    @Option(help: "Least severe log level written: trace, debug, info, notice, warning, error or critical. Default: info.") var logLevel: String?
    @Option(help: ArgumentHelp("Prometheus to collect from at the start of every cycle (from the store's watermark; without it the cycle assesses the store as it is).", valueName: "url"))
    var prometheus: String?
    @Option(help: "How far back the first collection reads when the store has nothing from this Prometheus. Default: 7d.") var backfill: String?
    @Option(help: "Points per series per Prometheus query at most (as collect's): smaller makes shorter chunks, each stored with its watermark.")
    var maxPointsPerSeries: Int = 11_000
    @Option(help: "Advice kept between cycles is computed again after this much new usage at most (sooner when new usage exceeds it or its inputs change; 0: every cycle).")
    var adviceMaxAge = "6h"
    @Option(help: ArgumentHelp("Prometheus queries per second at most (0: no limit), as collect's.", valueName: "rate"))
    var maxQueryRate: Double = 0
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Write recommendations into the status of VerticalPodAutoscalers whose spec.recommenders names --vpa-recommender (needs --kubeconfig or --in-cluster, and RBAC to patch verticalpodautoscalers/status).")
    var writeVPAStatus = false
    @Option(help: ArgumentHelp("Alert rule file: after every good cycle its rules are evaluated over the assessment and their notices delivered (as 'headroom alerts run').", valueName: "path")) var alerts: String?
    @Option(name: .customLong("vpa-recommender"), help: "The recommender name VPAs opt in with.") var vpaRecommender = "headroom"
    @Option(help: ArgumentHelp("Kubeconfig: every cycle then starts with a Kubernetes snapshot (inventory, nodes, quotas, VPAs, live usage), and VPA write-back uses it.", valueName: "path")) var kubeconfig: String?
    @Option(help: "Kubeconfig context (default: its current-context).") var context: String?
    @Flag(help: "Use the pod's service account for the Kubernetes API (snapshots and write-back, as --kubeconfig).") var inCluster = false
    @Flag(help: "Build the last complete week's report after each cycle (GET /v1/reports/weekly) and deliver it on schedule with --smtp/--post.")
    var weeklyReport = false
    @Option(help: ArgumentHelp("When the weekly report is delivered: a weekday and a 24-hour time in --report-timezone.", valueName: "day hh:mm"))
    var reportAt = "Mon 08:00"
    @Option(help: ArgumentHelp("IANA time zone of the report's weeks, days and schedule.", valueName: "zone")) var reportTimezone = "UTC"
    @Option(help: ArgumentHelp("Report templates (default: models/templates).", valueName: "dir")) var reportTemplates: String?
    @OptionGroup var reportDelivery: ReportDeliveryOptions
    @OptionGroup var sharding: ShardingOptions

    /// What the command line gave, by configuration key.
    var flags: [String: String] {
        var given: [String: String] = [:]
        given["db"] = store.db
        given["cluster"] = cluster.name
        given["budgets"] = options.budgets
        given["alerts"] = alerts
        given["listen"] = listen
        given["assessInterval"] = assessInterval
        given["collectInterval"] = collectInterval
        given["staleness"] = staleness
        given["tokenFile"] = tokenFile
        given["protectMetrics"] = protectMetrics ? "true" : nil
        given["logFormat"] = logFormat
        given["logLevel"] = logLevel
        given["prometheus"] = prometheus
        given["backfill"] = backfill
        return given
    }

    /// Flags, environment and the --config file merged and checked.
    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServeSettings {
        let file = try config.map { path throws(ConfigError) in try ServeConfigFile.load(path) }
        return try ServeSettings.resolve(flags: flags, environment: environment, file: file, defaultDB: "headroom.sqlite")
    }

    func validate() throws {
        if writeVPAStatus, kubeconfig == nil, !inCluster { throw ValidationError("--write-vpa-status needs --kubeconfig PATH or --in-cluster") }
        if kubeconfig != nil, inCluster { throw ValidationError("--kubeconfig and --in-cluster exclude each other") }
        guard maxPointsPerSeries >= 100, maxPointsPerSeries <= 11_000 else { throw ValidationError("--max-points-per-series must be from 100 to 11000") }
        _ = try Self.adviceReuse(adviceMaxAge)
        try reportDelivery.check()
        if reportDelivery.wanted && !weeklyReport { throw ValidationError("--smtp and --post deliver the weekly report: add --weekly-report") }
        _ = try reportSchedule()
        guard maxQueryRate >= 0, maxQueryRate.isFinite else { throw ValidationError("--max-query-rate must be a number of queries per second, 0 for no limit") }
        // The flags alone: a wrong one is a usage error before any file is read.
        _ = try ServeSettings.resolve(flags: flags, environment: [:], file: nil, defaultDB: "headroom.sqlite")
    }

    /// The token from the file's first line; an empty or unreadable file is an error that names the file, never the token.
    static func token(_ tokenFile: String?) throws -> String? {
        guard let tokenFile else { return nil }
        guard let text = FileManager.default.contents(atPath: tokenFile).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw ValidationError("--token-file \(tokenFile): cannot be read")
        }
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !token.isEmpty else { throw ValidationError("--token-file \(tokenFile): the first line is empty") }
        return token
    }

    /// `--report-at` in `--report-timezone`.
    func reportSchedule() throws -> WeeklyReportSchedule {
        do {
            return try WeeklyReportSchedule(parsing: reportAt, timeZone: try ReportWeek.timeZone(named: reportTimezone))
        } catch { throw ValidationError("--report-at/--report-timezone: \(error)") }
    }

    /// `--advice-max-age`: nil (compute every container every cycle) for 0.
    static func adviceReuse(_ text: String) throws -> AdviceReuse? {
        if text == "0" { return nil }
        do { return AdviceReuse(maxAgeSeconds: try DurationParser.seconds(text)) } catch {
            throw ValidationError("--advice-max-age: \(error.description)")
        }
    }

    func run() async throws {
        let settings = try settings()
        let token = try Self.token(settings.tokenFile)
        let (host, port) = (settings.host, settings.port)
        var assessment = options
        assessment.budgets = settings.budgets
        var reusing = try assessment.configuration()
        let reuse = try Self.adviceReuse(adviceMaxAge)
        reusing.advice.reuse = reuse
        // Hours of usage kept in memory for allocation, read again once the advice would be.
        if let reuse {
            reusing.usageHours = UsageHoursCache(refreshSeconds: reuse.maxAgeSeconds)
            reusing.recentCPU = RecentCPUCache(refreshSeconds: reuse.maxAgeSeconds)
        }
        let configuration = reusing
        var store = StoreOptions(db: settings.db)
        store.dbPasswordFile = self.store.dbPasswordFile
        let snapshots = kubeconfig != nil || inCluster
        // Before anything is opened: a sharded replica needs a shared store and the Lease API.
        try sharding.check(postgres: store.isPostgres, kubernetes: snapshots)
        let history = try await store.openBackend(existing: settings.prometheus == nil && !snapshots)
        let clusterName = settings.cluster
        let collection = try settings.prometheus.map { url in
            let api = PrometheusAPI(baseURL: url, client: CurlHTTPClient(configuration: try connection.configuration()),
                                    retry: RetryPolicy(seed: UInt64(truncatingIfNeeded: Int64(Date().timeIntervalSince1970 * 1000))),
                                    maxQueriesPerSecond: maxQueryRate > 0 ? maxQueryRate : nil)
            return PrometheusCycleCollection(collector: PrometheusCollector(api: api), backfillSeconds: settings.backfillSeconds,
                                             maxPointsPerSeries: maxPointsPerSeries)
        }
        let format = settings.logFormat, level = settings.logLevel
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: format, level: level) }
        let logger = Logger(label: "headroom.serve")
        let now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
        let state = ServeState()
        let trigger = CycleTrigger()
        let metrics = ServiceMetrics()
        // Credentials a kubeconfig embeds are written here for libcurl, and removed on exit.
        let secrets = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-kube-\(UUID().uuidString)").path
        // Only a kubeconfig can write there: otherwise nothing outside the store is touched
        // (the pod's root filesystem is read-only).
        defer { if kubeconfig != nil { try? FileManager.default.removeItem(atPath: secrets) } }
        let kubernetes = try snapshots ? KubernetesAPI(connection: try kubeconfig.map {
            try KubernetesConnection.fromKubeconfig(path: $0, context: context, secretsDirectory: secrets)
        } ?? KubernetesConnection.inCluster()) : nil
        let coordinator = try sharding.coordinator(api: kubernetes, state: state, logger: logger)
        let leaseMillis = Int64(try sharding.leaseSeconds()) * 1000
        let shardCount = sharding.shards
        // With --replicas-shard: what this replica holds now (nil: nothing it may work on). Without: nil, and `sharded` is false.
        let sharded = coordinator != nil
        let held: @Sendable () async -> ShardOwnership? = {
            await state.currentOwnership(nowMillis: Int64(Date().timeIntervalSince1970 * 1000), leaseMillis: leaseMillis)
        }
        // Singleton duties run on the leader only (always, unsharded).
        let leads: @Sendable () async -> Bool = { sharded ? await held()?.isLeader == true : true }
        // Each cycle: a Kubernetes snapshot (inventory, nodes, quotas, VPAs, live usage), then Prometheus from its watermark.
        let source = kubernetes.map { KubernetesSource(api: $0, cluster: clusterName ?? ContainerID.defaultCluster) }
        var collect: CycleService.Collect?
        if source != nil || collection != nil {
            collect = {
                if let source {
                    let snapshot = try await source.snapshot(now: now())
                    for warning in snapshot.warnings { logger.warning("kubernetes snapshot", metadata: ["warning": "\(warning)"]) }
                    try await history.ingest([snapshot.batch], progress: nil)
                }
                return try await collection?.collect(into: history, now: now()) { done, total in
                    logger.debug("collect chunk", metadata: ["chunks_done": "\(done)", "chunks_total": "\(total)"])
                }
            }
        }
        var afterPublish: [@Sendable (Assessment) async -> Void] = []
        if writeVPAStatus, let kubernetes {
            let writer = VPAStatusWriter(api: kubernetes, recommender: vpaRecommender, logger: logger, metrics: metrics)
            afterPublish.append { assessment in
                if sharded {
                    // A VPA is its shard holder's to write.
                    guard let shards = await held()?.shards else { return }
                    await writer.writeLogged(assessment, now: now(), shard: ShardSelection(shards: shardCount, owned: shards))
                } else {
                    await writer.writeLogged(assessment, now: now())
                }
            }
        }
        if let alerts = settings.alerts {
            let rules: AlertConfiguration
            do { rules = try AlertRulesFile.load(alerts) } catch { throw ValidationError(error.description) }
            let cycle = AlertCycle(store: history, sender: AlertSender(configuration: rules, client: CurlHTTPClient(configuration: HTTPClientConfiguration())),
                                   logger: logger, metrics: metrics)
            afterPublish.append { assessment in if await leads() { await cycle.runLogged(assessment, now: now()) } }
        }
        if weeklyReport {
            let templates = try reportTemplates ?? (try options.priceOptions.modelsDirectory) + "/templates"
            let renderer: ReportRenderer
            do { renderer = try await ReportRenderer(templates: templates) } catch { throw ValidationError("--report-templates: \(error)") }
            let reports = WeeklyReportCycle(store: history, cluster: clusterName, configuration: configuration, schedule: try reportSchedule(), renderer: renderer,
                                            delivery: try reportDelivery.settings(), state: state, logger: logger,
                                            http: CurlHTTPClient(configuration: HTTPClientConfiguration()))
            afterPublish.append { assessment in if await leads() { await reports.runLogged(assessment, now: now()) } }
        }
        let steps = afterPublish
        var chained: (@Sendable (Assessment) async -> Void)?
        if !steps.isEmpty { chained = { @Sendable assessment in for step in steps { await step(assessment) } } }
        let cycles = CycleService(state: state, trigger: trigger, interval: .seconds(settings.assessIntervalSeconds),
                                  collectInterval: .seconds(settings.collectIntervalSeconds),
                                  logger: logger, metrics: metrics, now: now, collect: collect,
                                  afterPublish: chained,
                                  figures: { reuse.map { ["advice_reused": "\($0.counts.reused)", "advice_computed": "\($0.counts.computed)"] } ?? [:] }) {
            // A new engine each cycle: the store may have gained its first cluster since the last.
            var cycle = configuration
            if sharded {
                guard let shards = await held()?.shards else { throw ShardsNotHeld() }
                cycle.advice.shard = ShardSelection(shards: shardCount, owned: shards)
            }
            return try await Engine(store: history, selecting: clusterName).assess(cycle, now: now())
        }
        if once {
            await coordinator?.tick()
            guard await cycles.runOnce(), let published = await state.published else {
                printError("headroom serve: the cycle failed: \(await state.lastFailure ?? "unknown error")")
                throw ExitCode(ExitStatus.failure)
            }
            let totals = published.assessment.totals
            print("cycle 1: published the assessment of \(totals.containers) containers, \(totals.budgetsViolated) budget(s) violated, ETag \(published.etag)")
            return
        }
        let router = ServeRouter.router(state: state, trigger: trigger, options: ServeRouter.Options(
            token: token, stalenessSeconds: settings.stalenessSeconds, now: now, metrics: metrics, metricsNeedToken: settings.protectMetrics))
        let application = Application(router: router, server: RequestLimits().server,
                                      configuration: .init(address: .hostname(host, port: port), serverName: "headroom"),
                                      onServerRunning: { channel in
                                          let address = channel.localAddress.map { "\($0.ipAddress ?? host):\($0.port ?? port)" } ?? settings.listen
                                          logger.notice("listening on \(address)")
                                      }, logger: logger)
        // The first cycle starts at once: it needs to know what this replica holds by then.
        await coordinator?.tick()
        let services: [any Service] = [application, cycles] + (coordinator.map { [$0] } ?? [])
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// A sharded replica's cycle while it holds no Lease (just started, or its ticks are failing).
struct ShardsNotHeld: Error, CustomStringConvertible {
    var description: String { "no shards held: waiting for the Leases (--replicas-shard)" }
}
