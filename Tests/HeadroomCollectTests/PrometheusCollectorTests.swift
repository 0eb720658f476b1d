import Foundation
@testable import HeadroomCollect
import HeadroomCore
import HeadroomHTTP
import HeadroomHistory
import HeadroomTesting
import Testing

@Suite struct PrometheusCollectorTests {
    let memoryOnly = PrometheusQuerySet.memoryOnly

    func collector(_ fake: FakePrometheus, attempts: Int = 2) -> PrometheusCollector {
        .memoryOnly(fake.url, attempts: attempts)
    }

    @Test("chunks cover the range on 5-minute boundaries and stay under the points limit")
    func chunking() {
        #expect(CollectionPlan.chunkSeconds(scrapeIntervalSeconds: 15) == 86_400)  // 11,000 × 15 s, capped at a day
        #expect(CollectionPlan.chunkSeconds(scrapeIntervalSeconds: 15, maxPointsPerSeries: 1000) == 14_400)  // 15,000 − 600 lookback → 4 h
        let plan = CollectionPlan(start: 1_000, end: 20_000, chunkSeconds: 7_200)
        #expect(plan.start == 900 && plan.end == 19_800)
        #expect(plan.chunks == [900..<8_100, 8_100..<15_300, 15_300..<19_800])
    }

    @Test("aligned chunks fall on multiples of the chunk length, whatever the start")
    func alignedChunks() {
        var plan = CollectionPlan(start: 1_000, end: 20_000, chunkSeconds: 7_200)
        plan.alignChunks = true
        #expect(plan.chunks == [900..<7_200, 7_200..<14_400, 14_400..<19_800])
        var later = CollectionPlan(start: 8_100, end: 20_000, chunkSeconds: 7_200)
        later.alignChunks = true
        #expect(later.chunks == [8_100..<14_400, 14_400..<19_800], "a run resumed mid-chunk cuts at the same boundaries")
    }

    @Test("large selections split by namespace, and by pod within a namespace too big for one query")
    func splitting() throws {
        let fake = try FakePrometheus()
        defer { fake.server.stop() }
        let collector = collector(fake)
        let metric = memoryOnly.metrics[0]
        let small = [["namespace": "a", "pod": "p1"]]
        #expect(try collector.matchers(small, metric: metric, limit: 5) == [[]])
        var sets: [[String: String]] = []
        for pod in 0..<6 { sets.append(["namespace": "big", "pod": "web-\(pod)"]) }
        for namespace in ["x", "y"] { sets.append(["namespace": namespace, "pod": "p"]) }
        let groups = try collector.matchers(sets, metric: metric, limit: 4)
        #expect(groups == [
            [#"namespace="big""#, #"pod=~"web-0|web-1|web-2|web-3""#],
            [#"namespace="big""#, #"pod=~"web-4|web-5""#],
            [#"namespace=~"x|y""#],
        ])
        #expect(metric.selector == #"container_memory_working_set_bytes{container!=""}"#)
    }

    @Test("metrics without a pod label split by their own labels (node, persistentvolume), so every listed series is queried")
    func splittingWithoutPods() throws {
        let fake = try FakePrometheus()
        defer { fake.server.stop() }
        let collector = collector(fake)
        let metric = memoryOnly.metrics[0]
        let nodes = (0..<10).map { ["__name__": "kube_node_status_capacity", "node": "n\($0)", "resource": $0 % 2 == 0 ? "cpu" : "memory"] }
        let groups = try collector.matchers(nodes, metric: metric, limit: 4)
        // Each query is small enough, and together they name every node exactly once.
        let named = groups.flatMap { $0.flatMap { matcher in matcher.hasPrefix("node=~") ? matcher.dropFirst(7).dropLast().split(separator: "|").map(String.init) : [] } }
        #expect(named.sorted() == nodes.map { $0["node"]! }.sorted() && groups.count == 3, "\(groups)")
        let volumes = (0..<9).map { ["persistentvolume": "pv-\($0)", "namespace": ""] }
        #expect(try collector.matchers(volumes, metric: metric, limit: 3).count == 3)
    }

    @Test("a selection no label can split below the limit fails loudly, naming its query")
    func unsplittable() throws {
        let fake = try FakePrometheus()
        defer { fake.server.stop() }
        let collector = collector(fake)
        let metric = memoryOnly.metrics[0]
        let same = Array(repeating: ["namespace": "a", "pod": "p"], count: 3)
        do {
            _ = try collector.matchers(same + [["namespace": "b", "pod": "q"]], metric: metric, limit: 2)
            Issue.record("an unsplittable selection was accepted")
        } catch let error as PrometheusError {
            #expect(error.description.contains(#"container_memory_working_set_bytes{container!="",namespace="a"}"#), "\(error)")
            #expect(error.description.contains("selects 3 series, more than the 2 allowed per query (--max-series-per-query, --max-samples-per-query), and no label splits them further"))
        }
    }

    @Test("a fault midway keeps finished chunks and the watermark; the next run completes exactly")
    func faultAndResume() async throws {
        let fake = try FakePrometheus()
        defer { fake.server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plan = CollectionPlan(start: 36_000, end: 36_000 + 3 * 3600, chunkSeconds: 3600, mode: .raw)

        // Reference: one clean run.
        let clean = try HistoryStore(path: directory.file("clean.sqlite"))
        let summary = try await collector(fake).collect(plan, store: { try clean.ingest($0) })
        #expect(summary.chunks == 3 && summary.usageBuckets == 36 && summary.gaps == 0)

        // Prometheus becomes unavailable for the second chunk.
        fake.fail(.unavailable(after: 36_000 + 3600))
        let faulty = try HistoryStore(path: directory.file("faulty.sqlite"))
        do {
            _ = try await collector(fake).collect(plan, store: { try faulty.ingest($0) })
            Issue.record("expected the collection to fail")
        } catch let error as PrometheusError {
            #expect(error.isTransient)
            #expect(error.description.contains("container_memory_working_set_bytes"))
            #expect(error.description.contains("HTTP 503, unavailable: overloaded"))
        }
        let stored = try faulty.buckets(faulty.containers()[0], resource: .memory, from: 0, to: 100_000)
        #expect(stored.map(\.start) == Array(stride(from: 36_000, to: 39_600, by: 300)))
        #expect(try faulty.watermark(source: collector(fake).sourceName) == 39_600)

        // Recovered: resume from the watermark.
        fake.fail(.none)
        let resumePlan = CollectionPlan(start: try #require(try faulty.watermark(source: collector(fake).sourceName)), end: plan.end, chunkSeconds: 3600, mode: .raw)
        _ = try await collector(fake).collect(resumePlan, store: { try faulty.ingest($0) })
        #expect(try faulty.contentDigests() == clean.contentDigests())
    }

    @Test("a run lists each metric once; chunks whose metrics fit in one query are not listed again")
    func oneListingPerRun() async throws {
        let fake = try FakePrometheus()
        defer { fake.server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("history.sqlite"))
        let plan = CollectionPlan(start: 36_000, end: 36_000 + 3 * 3600, chunkSeconds: 3600, mode: .raw)
        let summary = try await collector(fake).collect(plan, store: { try store.ingest($0) })
        let paths = fake.server.requests.map(\.path)
        #expect(paths.filter { $0 == "/api/v1/series" }.count == 1)
        #expect(paths.filter { $0 == "/api/v1/query" }.count == 3)
        #expect(summary.chunks == 3 && summary.usageBuckets == 36)
    }

    @Test("a metric with more series than one query may hold is listed and split in every chunk")
    func bigMetricListedPerChunk() async throws {
        let fake = try FakePrometheus()
        defer { fake.server.stop() }
        let plan = CollectionPlan(start: 36_000, end: 36_000 + 2 * 3600, chunkSeconds: 3600, maxSeriesPerQuery: 1, mode: .raw)
        _ = try await collector(fake).collect(plan, store: { _ in })
        let paths = fake.server.requests.map(\.path)
        // The run's count, then each chunk's listing; each chunk's two pods in one query each.
        #expect(paths.filter { $0 == "/api/v1/series" }.count == 1 + 2)
        let queries = fake.server.requests.filter { $0.path == "/api/v1/query" }.compactMap { $0.parameter("query") }
        #expect(queries.count == 4 && queries.allSatisfy { $0.contains("pod=~") }, "\(queries)")
    }

    @Test("NaN and Inf samples are skipped and counted; series that come and go leave gaps, not zeros")
    func nonFiniteAndDisappearing() async throws {
        // One pod reports NaN at 36,060 and +Inf at 36,120, and is gone from 36,300 on.
        let server = try LoopbackHTTPServer { request in
            if request.path == "/api/v1/series" {
                return .json(#"{"status":"success","data":[{"__name__":"container_memory_working_set_bytes","namespace":"prod","pod":"db-0","container":"pg"}]}"#)
            }
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"container_memory_working_set_bytes","namespace":"prod","pod":"db-0","container":"pg"},"values":[[36000,"10"],[36060,"NaN"],[36120,"+Inf"],[36180,"30"],[36900,"50"]]}]}}"#)
        }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        let collector = PrometheusCollector.memoryOnly(server.url, attempts: 1)
        let summary = try await collector.collect(CollectionPlan(start: 36_000, end: 37_200, chunkSeconds: 1200, mode: .raw), store: { try store.ingest($0) })
        #expect(summary.nonFiniteSamplesSkipped == 2)
        #expect(summary.samples == 3)
        let container = ContainerID(namespace: "prod", kind: .statefulSet, workload: "db", container: "pg")
        let series = try store.series(container, resource: .memory, from: 36_000, to: 37_200)
        #expect(series.values == [20, nil, nil, 50])
    }

    @Test("collected values are the served samples, bucketed")
    func values() async throws {
        let fake = try FakePrometheus()
        defer { fake.server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        _ = try await collector(fake).collect(CollectionPlan(start: 36_000, end: 36_600, chunkSeconds: 600, mode: .raw), store: { try store.ingest($0) })
        let container = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")
        let buckets = try store.buckets(container, resource: .memory, from: 36_000, to: 36_600)
        // Minutes 600…604 of the day in the first bucket, from both pods: mean 1602, max 1604.
        #expect(buckets.map(\.start) == [36_000, 36_300])
        #expect(buckets[0].mean == 1602 && buckets[0].max == 1604 && buckets[0].count == 10)
    }
}

@Suite struct PrometheusAPITests {
    func api(_ server: LoopbackHTTPServer, attempts: Int = 3) -> PrometheusAPI {
        PrometheusAPI(baseURL: server.url, client: CurlHTTPClient(configuration: .init(timeout: .seconds(2))),
                      retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5), seed: 7))
    }

    let matrix = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"m","pod":"p"},"values":[[1.5,"2"],[3,"NaN"],[4,"+Inf"]]}]}}"#

    @Test("matrix answers decode, NaN and +Inf included")
    func decoding() async throws {
        let server = try LoopbackHTTPServer { [matrix] _ in .json(matrix) }
        defer { server.stop() }
        let series = try await api(server).rawSamples(selector: "m", rangeSeconds: 60, at: 10)
        #expect(series.count == 1 && series[0].labels["pod"] == "p")
        #expect(series[0].samples.count == 3)
        #expect(series[0].samples[0].time == 1.5 && series[0].samples[0].value == 2)
        #expect(series[0].samples[1].value.isNaN && series[0].samples[2].value == .infinity)
        #expect(server.requests.first?.parameter("query") == "m[60s]")
    }

    @Test("GET mode percent-encodes the query, + included")
    func getMode() async throws {
        let server = try LoopbackHTTPServer { [matrix] _ in .json(matrix) }
        defer { server.stop() }
        let api = PrometheusAPI(baseURL: server.url, client: CurlHTTPClient(), retry: RetryPolicy(seed: 1), useGET: true)
        _ = try await api.queryRange("sum(rate(x[5m])) + 1", start: 0, end: 600, step: 300)
        let request = try #require(server.requests.first)
        #expect(request.method == "GET" && request.path == "/api/v1/query_range")
        #expect(request.target.contains("%2B"))
        #expect(request.parameter("query") == "sum(rate(x[5m])) + 1")
        #expect(request.parameter("step") == "300" && request.parameter("end") == "600.000")
    }

    @Test("query_range answers decode per series")
    func queryRange() async throws {
        let server = try LoopbackHTTPServer { [matrix] _ in .json(matrix) }
        defer { server.stop() }
        let series = try await api(server).queryRange("m", start: 0, end: 10, step: 1)
        #expect(series.first?.samples.map(\.time) == [1.5, 3, 4])
        #expect(server.requests.first?.method == "POST")
    }

    @Test("a 503 is retried and the retry's answer used")
    func retriesServerErrors() async throws {
        let server = try LoopbackHTTPServer { [matrix] request in
            request.parameter("attempt") == nil && RequestCounter.shared.next() == 1
                ? .json(#"{"status":"error","errorType":"unavailable","error":"busy"}"#, status: 503) : .json(matrix)
        }
        defer { server.stop() }
        RequestCounter.shared.reset()
        let series = try await api(server).rawSamples(selector: "m", rangeSeconds: 60, at: 10)
        #expect(series.count == 1)
        #expect(server.requests.count == 2)
    }

    @Test("a 422 is not retried and names the query")
    func badQuery() async throws {
        let server = try LoopbackHTTPServer { _ in .json(#"{"status":"error","errorType":"execution","error":"query processing would load too many samples"}"#, status: 422) }
        defer { server.stop() }
        do {
            _ = try await api(server).rawSamples(selector: "up", rangeSeconds: 60, at: 10)
            Issue.record("expected an error")
        } catch let error as PrometheusError {
            #expect(!error.isTransient)
            #expect(error.description == "\(server.url)/api/v1/query query up[60s]: HTTP 422, execution: query processing would load too many samples")
        }
        #expect(server.requests.count == 1)
    }

    @Test("truncated and malformed answers are retried, then reported with the query")
    func truncated() async throws {
        let server = try LoopbackHTTPServer { [matrix] _ in .init(status: 200, body: Data(matrix.prefix(40).utf8)) }
        defer { server.stop() }
        do {
            _ = try await api(server, attempts: 3).rawSamples(selector: "m", rangeSeconds: 60, at: 10)
            Issue.record("expected an error")
        } catch let error as PrometheusError {
            #expect(error.description.contains("query m[60s]: HTTP 200, unreadable answer"))
        }
        #expect(server.requests.count == 3)
    }

    @Test("a Prometheus that is down is reported after the retries")
    func down() async throws {
        let port = try freeLoopbackPort()
        let api = PrometheusAPI(baseURL: "http://127.0.0.1:\(port)", client: CurlHTTPClient(),
                                retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), seed: 1))
        await #expect(throws: PrometheusError.self) { try await api.buildInfo() }
    }

    @Test("backoff waits grow exponentially with full jitter, capped")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1), seed: 3)
        for attempt in 1...8 {
            let cap = min(Duration.seconds(1), .milliseconds(100) * (1 << (attempt - 1)))
            let delay = policy.delay(beforeRetry: attempt)
            #expect(delay >= .zero && delay <= cap)
        }
    }

    @Test("models/queries/default.yaml is the built-in default query set")
    func defaultQuerySetFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(try PrometheusQuerySet.load(path: root.appendingPathComponent("models/queries/default.yaml").path) == .default)
    }
}

/// Counts requests across a test's server handler (handlers are @Sendable closures).
final class RequestCounter: Sendable {
    static let shared = RequestCounter()
    private let count = Mutex(0)
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
    func reset() { count.withLock { $0 = 0 } }
}

import Synchronization

extension PrometheusCollector {
    /// Just the matchers of each part of a split.
    func matchers(_ labelSets: [[String: String]], metric: PrometheusQuerySet.Metric, limit: Int) throws -> [[String]] {
        try split(labelSets, metric: metric, limit: limit).map(\.matchers)
    }
}
