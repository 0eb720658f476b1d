import Benchmark
import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomReports
import HeadroomTesting

/// The weekly report of 10,000 containers (HEADROOM_REPORT_CONTAINERS) over two weeks: the two
/// weeks' allocation by local days with each container's cost drivers (`Engine.periodCosts`,
/// taking the hours the assessment's allocation kept, as `report weekly` and the service do),
/// the report model and its HTML, Markdown and CSV. The store and the assessment (vpa strategy)
/// are made outside the timing. Target: under 5 s. Also reported: the same two weeks read from
/// the store instead, and that read's parts. Figures go to HEADROOM_REPORT_RESULTS (default
/// `.build-bench/report-bench.txt`).
func reportBenchmarks() {
    let environment = ProcessInfo.processInfo.environment
    let containers = environment["HEADROOM_REPORT_CONTAINERS"].flatMap(Int.init) ?? 10_000
    Benchmark("Weekly report, \(containers) containers × 2 weeks", configuration: .init(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 0,
                                                                                     maxIterations: 3)) { benchmark in
        let directory = try TemporaryDirectory(prefix: "headroom-report-bench")
        defer { directory.remove() }
        let cluster = CycleBenchCluster(containers: containers)
        let store = try HistoryStore(path: directory.file("report.sqlite"))
        try cluster.fill(store)
        var configuration = AssessmentConfiguration(catalog: CycleBenchCluster.catalog)
        configuration.advice.strategy = .vpa
        configuration.advice.jobs = 2
        // As `report weekly` and the service run it: the allocation's hours kept by the assessment.
        let kept = UsageHoursCache(refreshSeconds: Int64.max / 4)
        configuration.usageHours = kept
        let engine = Engine(store: store, cluster: cluster.name)
        let assessment = try await onTwoWorkers { try await engine.assess(configuration, now: cluster.end + 60) }
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("models/templates").path
        let renderer = try await ReportRenderer(templates: templates)
        // UTC: the stored 14 days start at a UTC midnight, and so does the previous week (in Berlin it would start an hour before the data).
        let week = ReportWeek.lastComplete(before: cluster.end, timeZone: TimeZone(identifier: "UTC")!)
        var lines: [String] = []
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            let started = ContinuousClock.now
            let costs = try await onTwoWorkers {
                try await engine.periodCosts(from: week.previous.start, to: week.end, dayStarts: week.previous.dayStarts + week.dayStarts,
                                             catalog: configuration.catalog, cache: kept)
            }
            let read = ContinuousClock.now
            let report = WeeklyReport.build(week: week, costs: costs, assessment: assessment, generatedAt: cluster.end + 60)
            let built = ContinuousClock.now
            let html = renderer.html(report), markdown = renderer.markdown(report)
            let csv = ReportCSV.files(report)
            let rendered = ContinuousClock.now
            benchmark.stopMeasurement()
            blackHole((html.count, markdown.count, csv.count))
            func ms(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> String { String(format: "%.0f", Double((to - from).components.attoseconds) / 1e15 + Double((to - from).components.seconds) * 1000) }
            lines.append("report \(containers) containers, \(week): total \(ms(started, rendered)) ms = allocation+drivers \(ms(started, read)) ms, model \(ms(read, built)) ms, "
                         + "HTML+Markdown+CSV \(ms(built, rendered)) ms (HTML \(html.utf8.count / 1024) KiB, CSV rows \(csv.reduce(0) { $0 + $1.contents.count { $0 == "\n" } }))")
        }
        // The same two weeks read from the store instead (a report without an assessment before it).
        let coldStarted = ContinuousClock.now
        blackHole(try await engine.periodCosts(from: week.previous.start, to: week.end, dayStarts: week.previous.dayStarts + week.dayStarts,
                                         catalog: configuration.catalog).hours)
        let cold = ContinuousClock.now - coldStarted
        lines.append(String(format: "  allocation+drivers read from the store instead: %.0f ms", Double(cold.components.seconds) * 1000 + Double(cold.components.attoseconds) / 1e15))
        // Where the reading goes: the store's parts of `periodCosts`, one at a time.
        let from = week.previous.start, hours = Int((week.end - from) / 3600)
        let ids = try store.containers(cluster: cluster.name)
        func time(_ body: () throws -> Void) rethrows -> String {
            let started = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - started
            return String(format: "%.0f", Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        let latest = try time { blackHole(try store.latestInventory(asOf: week.end, cluster: cluster.name).count) }
        let cpu = try time { for id in ids { blackHole(try store.hourlyMeans(id, resource: .cpu, from: from, hours: hours).count) } }
        let memory = try time { for id in ids { blackHole(try store.hourlyMeans(id, resource: .memory, from: from, hours: hours).count) } }
        let inventory = try time { for id in ids { blackHole(try store.inventorySeries(id, from: from, to: week.end, step: 3600).count) } }
        lines.append("  reads: latest inventory \(latest) ms, hourly CPU means \(cpu) ms, hourly memory means \(memory) ms, inventory series \(inventory) ms")
        let results = environment["HEADROOM_REPORT_RESULTS"] ?? ".build-bench/report-bench.txt"
        try? (lines.joined(separator: "\n") + "\n").write(toFile: results, atomically: true, encoding: .utf8)
    }
}
