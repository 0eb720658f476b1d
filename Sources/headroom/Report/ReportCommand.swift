import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomEngine
import HeadroomHTTP
import HeadroomReports

/// `headroom report`: reports rendered from the assessment and the stored history.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Cost reports: the weekly report in HTML, Markdown and CSV.",
        subcommands: [ReportWeeklyCommand.self]
    )
}

/// The formats `report weekly` writes.
enum ReportFileFormat: String, CaseIterable, ExpressibleByArgument {
    case html, md, csv, json
}

struct ReportWeeklyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weekly",
        abstract: "Write the weekly cost report: spend, breakdowns, why spend moved, efficiency, waste, savings and budgets.",
        discussion: """
            One report model is computed from the store and the assessment and written in every format asked for, so the totals agree to the cent across them:
              weekly-report.html  self-contained; inline SVG charts; prints on A4
              weekly-report.md    Markdown for chat and wikis
              *.csv               one tidy file per table, with the recommendations
              weekly-report.json  the model itself

            The week is an ISO week (Monday 00:00 to Monday 00:00) in --timezone; by default the last complete week before the end of the stored usage (or before --now, if earlier). It is compared with the week before: each namespace's and workload's change is split into requests, replicas, usage above requests, workloads added or removed, and prices, parts that add up to the change. Costs are allocated as the assessment allocates them (max(request, usage) each hour), each hour to the nodes of the snapshot in force then, by the local days of --timezone. The report records the advice it shows; the next week's report lists what was adopted.

            Templates are Mustache files (models/templates: weekly-report.html.mustache, weekly-report.md.mustache, chart.mustache); --templates DIR uses your own. HTML escaping stays on.

            Several clusters of one store (--clusters all, or a comma-separated list): each cluster's report of the same week (by default the last complete one before the latest usage any of them has) goes to OUT/CLUSTER/, and OUT/fleet.md and OUT/fleet.json sum them: each cluster's spend, its change, its idle cost and what it could reclaim. Deliver per cluster, with --cluster.

            Examples:
              headroom report weekly --out reports/
              headroom report weekly --week 2026-W47 --timezone Europe/Berlin --out r/
              headroom report weekly --budgets budgets.yaml --format csv --out /tmp/week
              headroom report weekly --out r/ --smtp smtp://mail.internal:587 \\
                --from headroom@example.com --to finops@example.com
              headroom report weekly --out r/ --post https://hooks.slack.com/services/…
              headroom report weekly --clusters all --out reports/

            Delivery: --smtp sends one MIME message (the HTML, the Markdown as its text alternative, the CSV files attached) through your relay, with STARTTLS when offered (--smtp-require-tls to insist) and AUTH when --smtp-user and --smtp-password-file are given. --post sends a Slack-compatible summary. Each is tried --attempts times with backoff; the report files are written first and kept whatever happens. Exit codes: 0 written (and delivered), 1 written but a delivery failed, 2 bad flags or no data.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var options: AssessmentOptions
    @Option(help: ArgumentHelp("ISO week, e.g. 2026-W47 (default: the last complete week).", valueName: "yyyy-Www")) var week: String?
    @Option(help: ArgumentHelp("IANA time zone the week and its days are in.", valueName: "zone")) var timezone: String = "UTC"
    @Option(help: ArgumentHelp("Formats, comma-separated: html, md, csv, json.", valueName: "list")) var format: String = "html,md,csv"
    @Option(help: ArgumentHelp("Directory the report files are written to (created if missing).", valueName: "dir")) var out: String
    @Option(help: ArgumentHelp("Mustache templates (default: models/templates).", valueName: "dir")) var templates: String?
    @Option(help: "Lines per breakdown before \"other\", and movers shown.") var top: Int = 8
    @Option(help: ArgumentHelp("Label keys to break down by, comma-separated (default: every key).", valueName: "keys")) var labels: String?
    @Option(help: "The moment to report at, unix seconds (default: now).") var now: Int64?
    @OptionGroup var delivery: ReportDeliveryOptions
    @OptionGroup var fleet: FleetOptions

    func validate() throws {
        guard (1...100).contains(top) else { throw ValidationError("--top must be 1…100") }
        _ = try formats()
        try delivery.check()
        try fleet.validate(with: cluster)
        if fleet.clusters != nil && delivery.wanted {
            throw ValidationError("--clusters writes one report per cluster and a summary; deliver them with one run per --cluster")
        }
    }

    func formats() throws -> [ReportFileFormat] {
        let names = format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let formats = try names.map { name in
            guard let format = ReportFileFormat(rawValue: name) else {
                throw ValidationError("--format: unknown format '\(name)': use html, md, csv or json, comma-separated")
            }
            return format
        }
        guard !formats.isEmpty else { throw ValidationError("--format: name at least one of html, md, csv, json") }
        return formats
    }

    func run() async throws {
        let formats = try formats()
        let zone: TimeZone
        do { zone = try ReportWeek.timeZone(named: timezone) } catch { throw ValidationError("--timezone: \(error)") }
        let base = try options.configuration()
        let templatesDirectory = try templates ?? (try options.priceOptions.modelsDirectory) + "/templates"
        let renderer: ReportRenderer?
        do {
            renderer = formats.contains(.html) || formats.contains(.md) || delivery.smtp != nil ? try await ReportRenderer(templates: templatesDirectory) : nil
        } catch { throw ValidationError("--templates: \(error)") }
        var chosenWeek: ReportWeek?
        if let week {
            do { chosenWeek = try ReportWeek(parsing: week, timeZone: zone) } catch { throw ValidationError("--week: \(error)") }
        }
        let at = now ?? Int64(Date().timeIntervalSince1970)
        if let names = fleet.selection {
            try await fleetReports(names, formats: formats, zone: zone, base: base, renderer: renderer, chosenWeek: chosenWeek, at: at)
            return
        }
        let engine = try await cluster.engine(store)
        let reportWeek: ReportWeek
        if let chosenWeek { reportWeek = chosenWeek } else { reportWeek = try await Self.lastWeek(of: [engine], before: at, zone: zone) }
        let (report, html, markdown, files) = try await build(engine, week: reportWeek, base: base, renderer: renderer, formats: formats, at: at)
        try Self.write(files, to: out)
        let spend = report.spend
        print("Weekly report \(report.metadata.week) (\(report.metadata.firstDate) to \(report.metadata.lastDate), \(report.metadata.timeZone)) of \(report.metadata.cluster): "
              + "\(ReportFormat.dollars(spend.totalMicrodollars)), \(ReportFormat.signedDollars(spend.changeMicrodollars)) (\(ReportFormat.percent(spend.changePercent))) on \(report.metadata.previousWeek).")
        if report.metadata.hoursWithUsage < report.metadata.hours {
            printError("warning: usage covers \(report.metadata.hoursWithUsage) of the week's \(report.metadata.hours) hours")
        }
        print("Wrote \(files.count) files to \(out): \(files.map(\.name).joined(separator: ", "))")

        guard delivery.wanted else { return }
        let plan = try delivery.settings().delivery(for: report, html: html, markdown: markdown)
        let outcome = await plan.deliver(report, http: CurlHTTPClient(configuration: HTTPClientConfiguration()))
        for retry in outcome.retries { printError("headroom: report: \(retry)") }
        for delivered in outcome.delivered { print("Delivered: \(delivered)") }
        for failure in outcome.failures { printError("headroom: report: not delivered: \(failure); the report files are in \(out)") }
        if !outcome.failures.isEmpty { throw ExitCode.failure }
    }
}

extension ReportWeeklyCommand {
    /// The last complete week before `at` and the end of the latest usage any engine's cluster has.
    static func lastWeek(of engines: [Engine], before at: Int64, zone: TimeZone) async throws -> ReportWeek {
        var end: Int64?
        for engine in engines {
            if let own = try await EngineCall.run({ try await engine.usageEnd() }) { end = max(end ?? own, own) }
        }
        guard let end else { throw ValidationError("the history store holds no usage: run 'headroom import' or 'headroom collect' first") }
        return ReportWeek.lastComplete(before: min(at, end), timeZone: zone)
    }

    /// One cluster's report of `week` and its files: its assessment, the two weeks' costs, the
    /// previous report's advice for the follow-through (and this one's recorded for the next).
    func build(_ engine: Engine, week reportWeek: ReportWeek, base: AssessmentConfiguration, renderer: ReportRenderer?, formats: [ReportFileFormat],
               at: Int64) async throws -> (report: WeeklyReport, html: String, markdown: String, files: [(name: String, contents: String)]) {
        // The hours the assessment reads for its allocation are kept, so the report's two weeks are not read again.
        var configuration = base
        let hours = UsageHoursCache(refreshSeconds: Int64.max / 4)
        configuration.usageHours = hours
        let progress = ProgressReporter()
        let assessment = try await EngineCall.run { [configuration] in try await engine.assess(configuration, now: at, progress: progress.handler) }
        let costs = try await EngineCall.run { [configuration] in
            try await engine.periodCosts(from: reportWeek.previous.start, to: reportWeek.end,
                                         dayStarts: reportWeek.previous.dayStarts + reportWeek.dayStarts, catalog: configuration.catalog, cache: hours)
        }
        var reportOptions = WeeklyReport.Options(top: top, costReport: configuration.costReport)
        if let labels { reportOptions.labelKeys = labels.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        // The previous report's advice, for the follow-through; this one's, for the next.
        let recorded = try await engine.store.reportAdvice(cluster: assessment.metadata.cluster, week: reportWeek.previous.description)
        let report = WeeklyReport.build(week: reportWeek, costs: costs, assessment: assessment, generatedAt: at, options: reportOptions,
                                        recordedAdvice: recorded.isEmpty ? nil : recorded)
        try await engine.store.recordReportAdvice(cluster: assessment.metadata.cluster, week: reportWeek.description, report.adviceToRecord)

        let html = renderer?.html(report) ?? "", markdown = renderer?.markdown(report) ?? ""
        var files: [(name: String, contents: String)] = []
        for format in formats {
            switch format {
            case .html: files.append(("weekly-report.html", html))
            case .md: files.append(("weekly-report.md", markdown))
            case .csv: files += ReportCSV.files(report)
            case .json: files.append(("weekly-report.json", try Render.output(report, format: .json) { "" }))
            }
        }
        return (report, html, markdown, files)
    }

    static func write(_ files: [(name: String, contents: String)], to out: String) throws {
        let directory = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in files { try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.name), options: .atomic) }
        } catch {
            throw ValidationError("cannot write the report to '\(out)': \(error.localizedDescription)")
        }
    }

    /// `--clusters`: each cluster's report of one week in OUT/CLUSTER/, and the week across them
    /// in OUT/fleet.md and OUT/fleet.json.
    func fleetReports(_ names: [String]?, formats: [ReportFileFormat], zone: TimeZone, base: AssessmentConfiguration, renderer: ReportRenderer?,
                      chosenWeek: ReportWeek?, at: Int64) async throws {
        let history = try await store.openBackend(existing: true)
        let engines = try await EngineCall.run { try await Engine.clusters(names, in: history) }.map { Engine(store: history, cluster: $0) }
        let reportWeek: ReportWeek
        if let chosenWeek { reportWeek = chosenWeek } else { reportWeek = try await Self.lastWeek(of: engines, before: at, zone: zone) }
        var reports: [WeeklyReport] = []
        for engine in engines {
            let (report, _, _, files) = try await build(engine, week: reportWeek, base: base, renderer: renderer, formats: formats, at: at)
            try Self.write(files, to: "\(out)/\(engine.cluster)")
            if report.metadata.hoursWithUsage < report.metadata.hours {
                printError("warning: \(engine.cluster): usage covers \(report.metadata.hoursWithUsage) of the week's \(report.metadata.hours) hours")
            }
            reports.append(report)
        }
        let summary = FleetWeeklySummary(reports)
        try Self.write([("fleet.md", summary.markdown), ("fleet.json", try Render.output(summary, format: .json) { "" })], to: out)
        print("Weekly report \(summary.week) (\(summary.timeZone)) of \(reports.count) clusters: \(ReportFormat.dollars(summary.totalMicrodollars)), "
              + "\(ReportFormat.signedDollars(summary.changeMicrodollars)) on \(summary.previousWeek).")
        print("Wrote \(engines.map { "\(out)/\($0.cluster)/" }.joined(separator: ", ")), \(out)/fleet.md and \(out)/fleet.json")
    }
}
