import Foundation
@testable import HeadroomCollect
import HeadroomCore
import HeadroomHTTP
import HeadroomHistory
import HeadroomTesting
import Synchronization
import Testing

@Suite struct DownsampleQueryTests {
    @Test("the peak step is the scrape interval, at least a minute, on a divisor of 5 minutes")
    func peakStep() {
        #expect([15, 30, 60, 61, 90, 150, 200, 600].map { DownsampleQuery.peakStep(scrapeIntervalSeconds: $0) } == [60, 60, 60, 75, 100, 150, 300, 300])
    }

    @Test("memory asks for count, mean and max of each bucket, read 1 ms before the bucket's end")
    func memoryStatistics() {
        let statistics = DownsampleQuery.statistics(.gaugeUsage, selector: #"m{pod="a"}"#, scrapeIntervalSeconds: 30)
        #expect(statistics == [
            .init(stat: "count", expression: #"count_over_time(m{pod="a"}[300s] offset 1ms) != 10"#),
            .init(stat: "mean", expression: #"avg_over_time(m{pod="a"}[300s] offset 1ms)"#),
            .init(stat: "max", expression: #"max_over_time(m{pod="a"}[300s] offset 1ms)"#),
        ])
    }

    @Test("CPU's mean and peak are the per-scrape rates seen at each peak step; fast scrapes take the mean from rate()")
    func cpuStatistics() {
        let minute = DownsampleQuery.statistics(.counterUsage, selector: "c", scrapeIntervalSeconds: 60)
        #expect(minute.map(\.stat) == ["count", "mean", "max"])
        #expect(minute[0].expression == "count_over_time(c[300s] offset 1ms) != 5", "only the buckets that miss a scrape or hold an extra one")
        #expect(DownsampleQuery.statistics(.counterUsage, selector: "c", scrapeIntervalSeconds: 45)[0].expression == "count_over_time(c[300s] offset 1ms)")
        #expect(minute[1].expression == "avg_over_time(irate(c[120s] offset 1ms)[299999ms:60s])")
        #expect(minute[2].expression == "max_over_time(irate(c[120s] offset 1ms)[299999ms:60s])")
        let fast = DownsampleQuery.statistics(.counterUsage, selector: "c", scrapeIntervalSeconds: 15)
        #expect(fast[1].expression == "rate(c[300s] offset 1ms)")
        #expect(fast[2].expression == "max_over_time(irate(c[120s] offset 1ms)[299999ms:60s])")
        #expect(DownsampleQuery.lastValue("k") == "last_over_time(k[300s] offset 1ms)")
        #expect(DownsampleQuery.changed("k", seconds: 86_700) == "changes(k[86700s] offset 1ms) > 0")
    }

    @Test("combined parts are joined by or as a balanced tree")
    func unionTree() {
        #expect(DownsampleQuery.union([]) == "")
        #expect(DownsampleQuery.union(["a"]) == "a")
        #expect(DownsampleQuery.union(["a", "b"]) == "a or b")
        #expect(DownsampleQuery.union(["a", "b", "c"]) == "a or (b or c)")
        #expect(DownsampleQuery.union(["a", "b", "c", "d", "e"]) == "(a or b) or (c or (d or e))")
    }

    @Test("only a short run is read in combined queries, not a long one cut into hour-long chunks")
    func combinedOnlyForShortRuns() {
        #expect(CollectionPlan(start: 0, end: 3_600, chunkSeconds: 3_600, mode: .downsampled).usesCombinedQueries)
        #expect(CollectionPlan(start: 0, end: 300, chunkSeconds: 3_600, mode: .downsampled).usesCombinedQueries)
        #expect(!CollectionPlan(start: 0, end: 86_400, chunkSeconds: 3_600, mode: .downsampled).usesCombinedQueries)
        #expect(!CollectionPlan(start: 0, end: 3_600, chunkSeconds: 3_600, mode: .raw).usesCombinedQueries)
    }

    @Test("usage is evaluated at each bucket end of the chunk, last values from the chunk's start")
    func evaluationTimes() {
        #expect(DownsampleQuery.evaluationRange(.counterUsage, chunk: 3_000..<6_000) == (3_300, 6_000))
        #expect(DownsampleQuery.evaluationRange(.lastValue, chunk: 3_000..<6_000) == (3_000, 6_000))
        #expect(DownsampleQuery.bucketStart(endingAt: 3_300) == 3_000 && DownsampleQuery.bucketStart(endingAt: 3_299.9999) == 3_000)
    }
}

@Suite struct DownsampledBucketsTests {
    func series(_ stat: String, pod: String = "p", _ values: [(Double, Double)]) -> PrometheusSeries {
        PrometheusSeries(labels: ["namespace": "n", "pod": pod, "container": "c", DownsampleQuery.statLabel: stat], samples: values.map { ($0.0, $0.1) })
    }

    @Test("statistics join per bucket; CPU scales to millicores; a missing or low peak becomes the mean")
    func joins() {
        let answer = [
            series("count", [(600, 4), (900, 5), (1200, 3)]),
            series("mean", [(600, 0.25), (900, 0.5), (1200, 0.1)]),
            series("max", [(600, 0.75), (900, 0.25)]),
        ]
        let decoded = DownsampledBuckets.decode(answer, starts: 0..<3_000, scale: 1000)
        #expect(decoded.series.count == 1 && decoded.nonFinite == 0)
        let buckets = decoded.series[0].buckets
        #expect(buckets.map(\.start) == [300, 600, 900])
        #expect(buckets.map(\.count) == [4, 5, 3])
        #expect(buckets.map(\.mean) == [250, 500, 100])
        #expect(buckets.map(\.max) == [750, 500, 100])
        #expect(buckets[0].firstSampleMillis == 300_000 && buckets[0].lastSampleMillis == 599_999)
        #expect(decoded.series[0].labels == ["namespace": "n", "pod": "p", "container": "c"])
    }

    @Test("a bucket the count query left out holds the expected count")
    func expectedCount() {
        let answer = [series("count", [(900, 4)]), series("mean", [(600, 10), (900, 20)]), series("max", [(600, 12), (900, 25)])]
        let buckets = DownsampledBuckets.decode(answer, starts: 0..<3_000, scale: 1, expectedCount: 5).series[0].buckets
        #expect(buckets.map(\.count) == [5, 4] && buckets.map(\.mean) == [10, 20])
        #expect(DownsampledBuckets.decode(answer, starts: 0..<3_000, scale: 1).series[0].buckets.map(\.start) == [600], "without an expected count, only counted buckets")
    }

    @Test("buckets without samples or mean are left out; NaN statistics are dropped and counted")
    func incomplete() {
        let answer = [
            series("count", [(600, 0), (900, 2), (1200, 2), (1500, 1)]),
            series("mean", [(600, 1), (900, .nan), (1200, 2)]),
            series("max", [(1200, .infinity)]),
        ]
        let decoded = DownsampledBuckets.decode(answer, starts: 0..<3_000, scale: 1)
        #expect(decoded.series.isEmpty)
        #expect(decoded.nonFinite == 2)
    }

    @Test("a series received again overwrites what it set: a retried answer counts once")
    func idempotent() {
        var grid = DownsampledBuckets(starts: 0..<900)
        let labels = ["namespace": "n", "pod": "p", "container": "c"]
        grid.set(.mean, labels: labels, samples: [(300, 1), (600, 2)])
        grid.set(.mean, labels: labels, samples: [(300, 1), (600, 2)])
        grid.set(.count, labels: labels, samples: [(600, 4)])
        var seen: [[BucketStats]] = []
        grid.forEachSeries(scale: 1, expectedCount: 5) { _, buckets in seen.append(buckets) }
        #expect(seen.count == 1)
        #expect(seen.first?.map(\.start) == [0, 300] && seen.first?.map(\.mean) == [1, 2] && seen.first?.map(\.count) == [5, 4])
    }

    @Test("points stamped outside the grid (or at no finite time) are ignored and counted, not stored")
    func outsideTheGrid() {
        var grid = DownsampledBuckets(starts: 3_000..<3_600)
        grid.set(.mean, labels: ["pod": "p"], samples: [(3_000, 1), (3_300, 2), (3_900, 3), (.nan, 4), (1e300, 5)])
        #expect(grid.points == 5 && grid.outside == 4)
        var starts: [Int64] = []
        grid.forEachSeries(scale: 1, expectedCount: 1) { _, buckets in starts += buckets.map(\.start) }
        #expect(starts == [3_000])
    }
}

@Suite struct QueryPacerTests {
    @Test("requests are spaced by 1/rate, whatever the order they ask in; an idle pacer lets the next one go at once")
    func spacing() {
        let pacer = QueryPacer(perSecond: 4)
        let zero = ContinuousClock.now
        let slots = (0..<3).map { _ in pacer.reserve(now: zero) }
        #expect(slots == [zero, zero + .milliseconds(250), zero + .milliseconds(500)])
        let later = zero + .seconds(10)
        #expect(pacer.reserve(now: later) == later)
        #expect(pacer.reserve(now: later) == later + .milliseconds(250))
    }
}

@Suite struct PacedAPITests {
    final class Arrivals: Sendable {
        let times = Mutex<[ContinuousClock.Instant]>([])
    }

    @Test("--max-query-rate spaces the requests Prometheus receives")
    func paced() async throws {
        let arrivals = Arrivals()
        let server = try LoopbackHTTPServer { _ in
            arrivals.times.withLock { $0.append(.now) }
            return .json(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
        }
        defer { server.stop() }
        let api = PrometheusAPI(baseURL: server.url, client: CurlHTTPClient(), retry: RetryPolicy(maxAttempts: 1, seed: 1), maxQueriesPerSecond: 20)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 { group.addTask { _ = try await api.query("up", at: 1_000) } }
            try await group.waitForAll()
        }
        let times = arrivals.times.withLock { $0 }.sorted()
        #expect(times.count == 5)
        // Sent 50 ms apart: the fifth cannot arrive before 200 ms. (Arrival gaps prove less: a busy
        // server may handle two queued requests back to back.)
        #expect(try #require(times.last) - started >= .milliseconds(200))
    }
}

@Suite struct OverloadTests {
    @Test("too many samples (422) and unavailable (503) are overload, worth splitting; other refusals are not")
    func overload() {
        func error(_ status: Int, _ reason: String) -> PrometheusError {
            PrometheusError(endpoint: "http://p", query: "q", reason: reason, isTransient: status >= 500, status: status)
        }
        #expect(error(422, "HTTP 422, execution: query processing would load too many samples into memory in query execution").isOverload)
        #expect(error(503, "HTTP 503, unavailable: overloaded").isOverload)
        #expect(!error(422, "HTTP 422, execution: vector cannot contain metrics with the same labelset").isOverload)
        #expect(!error(400, "HTTP 400, bad_data: parse error").isOverload)
        #expect(!PrometheusError(endpoint: "http://p", query: "q", reason: "timeout", isTransient: true).isOverload, "no answer, no status")
    }
}

@Suite struct QuerySizingTests {
    @Test("downsampled chunks hold the points budget whatever the cluster's size (between an hour and a week), so memory does not grow")
    func chunkLength() {
        #expect(CollectionPlan.downsampledChunkSeconds(usageSeries: 500, maxPoints: 600_000) == 120_000)  // 400 buckets
        #expect(CollectionPlan.downsampledChunkSeconds(usageSeries: 100, maxPoints: 600_000) == 600_000)  // 2,000 buckets
        #expect(CollectionPlan.downsampledChunkSeconds(usageSeries: 50, maxPoints: 600_000) == 604_800)  // 4,000 fit: a week
        #expect(CollectionPlan.downsampledChunkSeconds(usageSeries: 2_000, maxPoints: 600_000) == 30_000)  // 100 buckets
        #expect(CollectionPlan.downsampledChunkSeconds(usageSeries: 20_000, maxPoints: 600_000) == 3_600)  // 10 buckets, at least an hour
        #expect(CollectionPlan.downsampledChunkSeconds(usageSeries: 0) == 604_800)
    }

    @Test("queries are sized by the samples they touch, not only by series")
    func samplesPerQuery() {
        let day = CollectionPlan(start: 0, end: 86_400, chunkSeconds: 86_400, scrapeIntervalSeconds: 60, maxSamplesPerQuery: 100_000)
        // (86,400 + 600 lookback) / 60 = 1,450 samples per series: 68 series per query.
        #expect(day.seriesPerQuery(chunk: 0..<86_400) == 68)
        let fast = CollectionPlan(start: 0, end: 86_400, chunkSeconds: 86_400, scrapeIntervalSeconds: 15, maxSamplesPerQuery: 100_000)
        #expect(fast.seriesPerQuery(chunk: 0..<86_400) == 17)
        let small = CollectionPlan(start: 0, end: 3_600, chunkSeconds: 3_600, maxSeriesPerQuery: 40, scrapeIntervalSeconds: 60)
        #expect(small.seriesPerQuery(chunk: 0..<3_600) == 40)
        #expect(CollectionPlan(start: 0, end: 300, chunkSeconds: 300).concurrency == 2 && CollectionPlan(start: 0, end: 300, chunkSeconds: 300).mode == .downsampled)
    }
}

/// Which kube-state-metrics queries a long downsampled run sends.
@Suite struct LastValueQueryTests {
    @Test("owners are read for their labels alone: no changes() query, one last value per chunk; requests are checked for changes")
    func labelOnlyMetricsSkipChanges() async throws {
        let server = try LoopbackHTTPServer { request in
            if request.path == "/api/v1/series" {
                return .json(#"{"status":"success","data":[{"__name__":"x","namespace":"prod","pod":"api-1"}]}"#)
            }
            let empty = request.path == "/api/v1/query" ? "vector" : "matrix"
            return .json(#"{"status":"success","data":{"resultType":"\#(empty)","result":[]}}"#)
        }
        defer { server.stop() }
        let querySet = PrometheusQuerySet(name: "ksm", metrics: [
            .init(metric: "kube_pod_owner", selector: "kube_pod_owner"),
            .init(metric: "kube_pod_container_resource_requests", selector: "kube_pod_container_resource_requests"),
        ])
        let api = PrometheusAPI(baseURL: server.url, client: CurlHTTPClient(), retry: RetryPolicy(maxAttempts: 1, seed: 1))
        // Two chunks of two hours: too long for combined queries.
        let plan = CollectionPlan(start: 36_000, end: 36_000 + 4 * 3600, chunkSeconds: 7200)
        _ = try await PrometheusCollector(api: api, querySet: querySet).collect(plan, store: { _ in })
        let queries = server.requests.filter { $0.path == "/api/v1/query" }.compactMap { $0.parameter("query") }
        #expect(queries.filter { $0.hasPrefix("changes(kube_pod_owner") }.isEmpty, "\(queries)")
        #expect(queries.filter { $0.hasPrefix("last_over_time(kube_pod_owner[7500s]") }.count == 2, "\(queries)")
        #expect(queries.filter { $0.hasPrefix("changes(kube_pod_container_resource_requests[7500s]") }.count == 2, "\(queries)")
    }
}

@Suite struct CombinedQueryTests {
    @Test("a short run's combined usage query starts at its first bucket's end, its last values at its start")
    func evaluationTimes() async throws {
        let server = try LoopbackHTTPServer { request in
            .json(#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#)
        }
        defer { server.stop() }
        let querySet = PrometheusQuerySet(name: "two", metrics: [
            .init(metric: "container_memory_working_set_bytes", selector: "container_memory_working_set_bytes"),
            .init(metric: "kube_pod_owner", selector: "kube_pod_owner"),
        ])
        let api = PrometheusAPI(baseURL: server.url, client: CurlHTTPClient(), retry: RetryPolicy(maxAttempts: 1, seed: 1))
        _ = try await PrometheusCollector(api: api, querySet: querySet).collect(CollectionPlan(start: 36_000, end: 36_600, chunkSeconds: 600), store: { _ in })
        let ranges = server.requests.filter { $0.path == "/api/v1/query_range" }
        let usage = try #require(ranges.first { $0.parameter("query")?.contains("avg_over_time") == true })
        let others = try #require(ranges.first { $0.parameter("query")?.contains("kube_pod_owner") == true })
        // The bucket before the run would be read and thrown away.
        #expect(usage.parameter("start") == "36300.000" && usage.parameter("end") == "36600.000")
        #expect(others.parameter("start") == "36000.000" && others.parameter("end") == "36600.000")
    }
}

/// A loopback Prometheus answering downsampled queries for two pods, which refuses any query
/// that selects both at once with Prometheus's 422 "too many samples" answer.
final class OverloadedPrometheus: Sendable {
    final class QueryLog: Sendable {
        let entries = Mutex<[String]>([])
    }

    let server: LoopbackHTTPServer
    let log = QueryLog()

    var queries: [String] { log.entries.withLock { $0 } }

    init(refuseAlways: Bool = false) throws {
        let log = log
        server = try LoopbackHTTPServer { request in
            if request.path == "/api/v1/series" {
                // As Prometheus does, only the series the matchers select (a split request is listed again).
                let match = request.parameter("match[]") ?? ""
                let sets = ["db-0", "db-1"].filter { match.contains("pod=~\"\($0)\"") || !match.contains("pod=~") }.map {
                    #"{"__name__":"container_memory_working_set_bytes","namespace":"prod","pod":"\#($0)","container":"pg"}"#
                }
                return .json(#"{"status":"success","data":[\#(sets.joined(separator: ","))]}"#)
            }
            let query = request.parameter("query") ?? ""
            log.entries.withLock { $0.append(query) }
            let pods = ["db-0", "db-1"].filter { query.contains("pod=~\"\($0)\"") || !query.contains("pod=~") }
            if refuseAlways || pods.count > 1 {
                return .json(#"{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}"#, status: 422)
            }
            let value = query.hasPrefix("count_over_time") ? "5" : query.hasPrefix("avg_over_time") ? "100" : "150"
            let series = pods.map { pod in
                #"{"metric":{"namespace":"prod","pod":"\#(pod)","container":"pg"},"values":[[36300,"\#(value)"],[36600,"\#(value)"]]}"#
            }
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(series.joined(separator: ","))]}}"#)
        }
    }
}

@Suite struct OverloadSplitTests {
    func collector(_ url: String) -> PrometheusCollector { .memoryOnly(url, attempts: 1) }

    @Test("a query refused as too many samples is split and asked again, and every series arrives")
    func splitsAndRetries() async throws {
        let prometheus = try OverloadedPrometheus()
        defer { prometheus.server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        let summary = try await collector(prometheus.server.url).collect(CollectionPlan(start: 36_000, end: 36_600, chunkSeconds: 600),
                                                                           store: { try store.ingest($0) })
        // The combined query of a short range is refused, then the per-statistic count query of both pods.
        #expect(summary.overloadSplits == 2)
        let queries = prometheus.queries
        // The combined query; the count and mean of both pods, sent at once (two in flight) and
        // refused, one split for both; then count, mean and max per pod.
        #expect(queries.count == 9, "\(queries)")
        #expect(queries[0].contains("__headroom_metric"))
        #expect(queries[1...2].allSatisfy { !$0.contains("pod=~") } && Set(queries[1...2].map { $0.prefix(9) }) == ["count_ove", "avg_over_"])
        #expect(queries.dropFirst(3).allSatisfy { $0.contains(#"pod=~"db-"#) })
        let container = ContainerID(namespace: "prod", kind: .statefulSet, workload: "db", container: "pg")
        let buckets = try store.buckets(container, resource: .memory, from: 36_000, to: 36_600)
        #expect(buckets.map(\.start) == [36_000, 36_300] && buckets.allSatisfy { $0.count == 10 && $0.mean == 100 && $0.max == 150 })
    }

    @Test("a single series Prometheus still refuses fails with Prometheus's reason and the query")
    func singleSeriesFails() async throws {
        let prometheus = try OverloadedPrometheus(refuseAlways: true)
        defer { prometheus.server.stop() }
        do {
            _ = try await collector(prometheus.server.url).collect(CollectionPlan(start: 36_000, end: 36_600, chunkSeconds: 600), store: { _ in })
            Issue.record("expected the collection to fail")
        } catch let error as PrometheusError {
            #expect(error.status == 422 && error.isOverload)
            #expect(error.description.contains("too many samples") && error.description.contains(#"pod=~"db-"#))
        }
    }
}
