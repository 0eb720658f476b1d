import Foundation
import HeadroomCore
import HeadroomCost
@testable import HeadroomEngine
import HeadroomHistory
import HeadroomHTTP
import HeadroomReports
import HeadroomService
import HeadroomTesting
import Logging
import Testing

/// The service's weekly report: built after a cycle for the last complete week, served at
/// /v1/reports/weekly, delivered once its sending time has passed, and never twice for one week
/// and channel, across cycles and restarts (the store records it).
@Suite(.serialized) struct WeeklyReportCycleTests {
    /// Monday 23 November 2026, 00:00 UTC: the end of week 2026-W47 and of the stored usage.
    static let end: Int64 = 1_795_392_000
    static let web = ContainerID(namespace: "shop", kind: .deployment, workload: "web", container: "web")
    static let catalog = PriceCatalog(nodeTypes: [CatalogNodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, onDemand: 96_000)],
                                      units: .openCostDefaults)

    /// 15 days of a web Deployment whose replicas go from 2 to 4 at the start of W47.
    static func store(_ directory: TemporaryDirectory) throws -> HistoryStore {
        let store = try HistoryStore(path: directory.file("report.sqlite"))
        let start = end - 15 * 86_400
        var usage: [UsageBucket] = []
        for step in 0..<(15 * 288) {
            let time = start + Int64(step) * 300
            for (resource, mean) in [(ResourceKind.cpu, 120.0), (.memory, 300.0 * 1_048_576)] {
                usage.append(UsageBucket(container: web, resource: resource, stats: BucketStats(
                    start: time, count: 20, mean: mean, max: mean * 1.2, firstSampleMillis: time * 1000, lastSampleMillis: time * 1000 + 285_000)))
            }
        }
        func record(_ at: Int64, replicas: Int) -> InventoryRecord {
            InventoryRecord(container: web, observedAt: at, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: .gibibyte),
                            limits: .none, replicas: replicas, nodePool: "backend")
        }
        let node = NodeRecord(name: "backend-0", nodePool: "backend", zone: "zone-a", instanceType: "m6i.large",
                              allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 7720), memory: MemoryQuantity(bytes: 28 << 30)),
                              capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 8000), memory: MemoryQuantity(bytes: 32 << 30)))
        var second = node
        second.name = "backend-1"
        // One node in W46, two from the start of W47.
        try store.ingest(CollectedBatch(source: "report-test", cluster: ClusterObjects(observedAt: start, nodes: [node])))
        try store.ingest(CollectedBatch(source: "report-test", cluster: ClusterObjects(observedAt: end - 7 * 86_400, nodes: [node, second])))
        try store.ingest(CollectedBatch(source: "report-test", usage: usage, inventory: [record(start, replicas: 2), record(end - 7 * 86_400, replicas: 4)],
                                        rawSampleCount: usage.count * 20, cluster: ClusterObjects(observedAt: end - 600, nodes: [node, second])))
        return store
    }

    static func cycle(_ store: HistoryStore, state: ServeState, sink: SMTPSink, receiver: WebhookReceiver) async throws -> WeeklyReportCycle {
        var logger = Logger(label: "report-test")
        logger.logLevel = .critical
        let settings = ReportDeliverySettings(mail: MailEnvelope(url: sink.url, from: "headroom@example.com", recipients: ["finops@example.com"], message: Data()),
                                              post: receiver.url, attempts: 1)
        return WeeklyReportCycle(store: store, cluster: nil, configuration: AssessmentConfiguration(catalog: catalog), schedule: WeeklyReportSchedule(),
                                 renderer: try await ReportRenderer(templates: ReportTemplatesPath.directory), delivery: settings, state: state,
                                 logger: logger, http: CurlHTTPClient())
    }

    @Test("built before its sending time but not sent; sent once after it; not again on the next cycle or after a restart")
    func scheduleAndDedup() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(directory)
        let assessment = try await Engine(store: store, selecting: nil).assess(AssessmentConfiguration(catalog: Self.catalog), now: Self.end + 3_600)
        let sink = try await SMTPSink()
        let receiver = try WebhookReceiver { _, _ in true }
        let state = ServeState()
        let cycle = try await Self.cycle(store, state: state, sink: sink, receiver: receiver)

        // Monday 07:00: the report of W47 exists, its sending time (08:00) has not come.
        await cycle.runLogged(assessment, now: Self.end + 7 * 3600)
        let kept = try #require(await state.weeklyReport)
        #expect(kept.week == "2026-W47")
        #expect(kept.report.spend.totalMicrodollars > 0)
        #expect(kept.report.spend.changeMicrodollars == 168 * 96_000, "the second node's week: \(kept.report.spend)")
        let replicas = kept.report.causes.first { $0.name == "shop" }
        #expect(replicas.map { $0.replicasMicrodollars > 0 && $0.sumOfCausesMicrodollars == $0.changeMicrodollars } == true,
                "the doubled replicas show as replicas: \(String(describing: replicas))")
        #expect(try sink.messages().isEmpty && receiver.accepted.isEmpty)

        // 08:30: sent by mail and posted, once each.
        await cycle.runLogged(assessment, now: Self.end + 8 * 3600 + 1800)
        #expect(try sink.messages().count == 1)
        #expect(receiver.accepted.count == 1)
        #expect(try store.reportDeliveries(cluster: assessment.metadata.cluster, week: "2026-W47") == ["mail", "post"])

        // The next cycle, and a restarted service with the same store: nothing more.
        await cycle.runLogged(assessment, now: Self.end + 9 * 3600)
        let restarted = try await Self.cycle(store, state: ServeState(), sink: sink, receiver: receiver)
        await restarted.runLogged(assessment, now: Self.end + 10 * 3600)
        #expect(try sink.messages().count == 1)
        #expect(receiver.accepted.count == 1)
    }

    @Test("a channel that failed is tried again on the next cycle; the one delivered is not")
    func failedChannelRetried() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(directory)
        let assessment = try await Engine(store: store, selecting: nil).assess(AssessmentConfiguration(catalog: Self.catalog), now: Self.end + 3_600)
        let sink = try await SMTPSink()
        let receiver = try WebhookReceiver(answering: [503]) { _, _ in true }
        let cycle = try await Self.cycle(store, state: ServeState(), sink: sink, receiver: receiver)
        await cycle.runLogged(assessment, now: Self.end + 9 * 3600)
        #expect(try store.reportDeliveries(cluster: assessment.metadata.cluster, week: "2026-W47") == ["mail"])
        await cycle.runLogged(assessment, now: Self.end + 9 * 3600 + 900)
        #expect(try store.reportDeliveries(cluster: assessment.metadata.cluster, week: "2026-W47") == ["mail", "post"])
        #expect(try sink.messages().count == 1, "the mail went once")
        #expect(receiver.accepted.count == 1)
    }

    @Test("the report's two weeks taken from the hours the assessment kept cost the same, to the micro-dollar, as read from the store")
    func keptHoursAgree() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(directory)
        let engine = try await Engine(store: store, selecting: nil)
        var configuration = AssessmentConfiguration(catalog: Self.catalog)
        let hours = UsageHoursCache(refreshSeconds: 86_400)
        configuration.usageHours = hours
        _ = try await engine.assess(configuration, now: Self.end + 3_600)
        let week = ReportWeek.lastComplete(before: Self.end, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        func costs(_ cache: UsageHoursCache?) async throws -> PeriodCosts {
            try await engine.periodCosts(from: week.previous.start, to: week.end, dayStarts: week.previous.dayStarts + week.dayStarts, catalog: Self.catalog, cache: cache)
        }
        let span = Int((week.end - week.previous.start) / 3600)
        #expect(hours.covering(start: week.previous.start, hours: span).count == 1, "the assessment kept the web container's hours")
        let kept = try await costs(hours), read = try await costs(nil)
        #expect(kept.result.allocation.containers == read.result.allocation.containers)
        #expect(kept.drivers == read.drivers)
        #expect(kept.result.allocation.containers.flatMap { $0 }.contains { $0.total > 0 })
    }

    @Test("GET /v1/reports/weekly: HTML by default, Markdown and JSON on request, ETag and 304; 404 before a report, 400 for another format")
    func endpoint() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(directory)
        let assessment = try await Engine(store: store, selecting: nil).assess(AssessmentConfiguration(catalog: Self.catalog), now: Self.end + 3_600)
        let state = ServeState()
        let options = ServeRouter.Options(token: nil, stalenessSeconds: 3600, now: { Self.end + 3_600 })
        let client = ServeFixture.client
        try await ServeFixture.withServer(state: state, options: options) { base in
            let missing = try await client.send(HTTPRequest(url: "\(base)/v1/reports/weekly"))
            #expect(missing.status == 404)
            var logger = Logger(label: "report-test")
            logger.logLevel = .critical
            let cycle = WeeklyReportCycle(store: store, cluster: nil, configuration: AssessmentConfiguration(catalog: Self.catalog), schedule: WeeklyReportSchedule(),
                                          renderer: try await ReportRenderer(templates: ReportTemplatesPath.directory), delivery: ReportDeliverySettings(),
                                          state: state, logger: logger, http: client)
            await cycle.runLogged(assessment, now: Self.end + 3_600)
            let html = try await client.send(HTTPRequest(url: "\(base)/v1/reports/weekly"))
            #expect(html.status == 200 && html.headers["content-type"] == "text/html; charset=utf-8")
            #expect(String(decoding: html.body, as: UTF8.self).contains("Weekly cost report"))
            #expect(html.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            let markdown = try await client.send(HTTPRequest(url: "\(base)/v1/reports/weekly?format=md"))
            #expect(String(decoding: markdown.body, as: UTF8.self).hasPrefix("# Weekly cost report"))
            let json = try await client.send(HTTPRequest(url: "\(base)/v1/reports/weekly?format=json"))
            let document = try JSONSerialization.jsonObject(with: json.body) as? [String: Any]
            #expect((document?["metadata"] as? [String: Any])?["week"] as? String == "2026-W47")
            let etag = try #require(html.headers["etag"])
            let again = try await client.send(HTTPRequest(url: "\(base)/v1/reports/weekly", headers: [("If-None-Match", etag)]))
            #expect(again.status == 304)
            #expect(markdown.headers["etag"] != etag, "each format has its own tag")
            let bad = try await client.send(HTTPRequest(url: "\(base)/v1/reports/weekly?format=pdf"))
            #expect(bad.status == 400)
        }
    }
}

/// The checkout's report templates.
enum ReportTemplatesPath {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/templates").path
}
