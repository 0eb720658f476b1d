import Foundation
@testable import HeadroomCollect
import HeadroomCore
import HeadroomDemo
import HeadroomHistory
import HeadroomTesting
import Testing

/// Downsampled collection (Prometheus summarises each bucket) against raw collection (every
/// sample, bucketed here), bucket by bucket, on the real Prometheus. The tolerances are the ones
/// docs/collection.md states.
@Suite(.serialized) struct DownsampledCollectionTests {
    struct Key: Hashable {
        var container: ContainerID
        var resource: ResourceKind
        var start: Int64
    }

    /// Every bucket a plan stores, by container, resource and start.
    func collect(_ plan: CollectionPlan, _ prometheus: PrometheusEnvironment, file: String) async throws -> (buckets: [Key: BucketStats], summary: CollectionSummary, store: HistoryStore) {
        let store = try HistoryStore(path: file)
        let summary = try await PrometheusCollector(api: prometheus.api()).collect(plan, store: { try store.ingest($0) })
        var buckets: [Key: BucketStats] = [:]
        for container in try store.containers() {
            for resource in ResourceKind.allCases {
                for bucket in try store.buckets(container, resource: resource, from: plan.start, to: plan.end) {
                    buckets[Key(container: container, resource: resource, start: bucket.start)] = bucket
                }
            }
        }
        return (buckets, summary, store)
    }

    func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-12) }

    @Test("on the demo's regular 150 s scrapes, downsampled buckets equal raw ones: same buckets, means and maxima to 1e-9")
    func regularScrapesAgree() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func plan(_ mode: CollectionMode) -> CollectionPlan {
            CollectionPlan(start: prometheus.start, end: prometheus.end, chunkSeconds: 86_400, namespaces: ["production", "staging", "development"],
                           mode: mode, scrapeIntervalSeconds: 150)
        }
        let raw = try await collect(plan(.raw), prometheus, file: directory.file("raw.sqlite"))
        let down = try await collect(plan(.downsampled), prometheus, file: directory.file("down.sqlite"))
        #expect(down.buckets.count == 20 * 2 * 576)
        #expect(Set(down.buckets.keys) == Set(raw.buckets.keys))
        var firstBuckets = 0
        for (key, want) in raw.buckets {
            let got = try #require(down.buckets[key])
            #expect(relative(got.mean, want.mean) <= 1e-9, "\(key) mean \(got.mean) vs \(want.mean)")
            #expect(relative(got.max, want.max) <= 1e-9, "\(key) max \(got.max) vs \(want.max)")
            if got.count != want.count {
                // Each pod's first sample has no CPU rate in a raw import but counts in count_over_time.
                #expect(key.resource == .cpu && key.start == prometheus.start && (1...10).contains(got.count - want.count), "\(key)")
                firstBuckets += 1
            }
        }
        #expect(firstBuckets <= 20)
        // The declared inventory reads the same from last values as from every sample.
        let rawInventory = try raw.store.latestInventory().map { ["\($0.container)", "\($0.requests)", "\($0.limits)", "\($0.replicas ?? -1)"] }
        let downInventory = try down.store.latestInventory().map { ["\($0.container)", "\($0.requests)", "\($0.limits)", "\($0.replicas ?? -1)"] }
        #expect(downInventory.count == 20 && downInventory == rawInventory)
    }

    @Test("a short range (the service's 5-minute cycle) goes in two queries and stores what raw collection stores")
    func shortRangeInOneQuery() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func plan(_ mode: CollectionMode, start: Int64) -> CollectionPlan {
            CollectionPlan(start: start, end: prometheus.end, chunkSeconds: 3_600, namespaces: ["production", "staging", "development"],
                           mode: mode, scrapeIntervalSeconds: 150)
        }
        let raw = try await collect(plan(.raw, start: prometheus.end - 3_600), prometheus, file: directory.file("raw.sqlite"))
        let down = try await collect(plan(.downsampled, start: prometheus.end - 3_600), prometheus, file: directory.file("down.sqlite"))
        #expect(down.summary.queries == 2, "usage and the rest, no listing")
        #expect(down.buckets.count == 20 * 2 * 12 && Set(down.buckets.keys) == Set(raw.buckets.keys))
        for (key, want) in raw.buckets {
            let got = try #require(down.buckets[key])
            #expect(relative(got.mean, want.mean) <= 1e-9 && relative(got.max, want.max) <= 1e-9, "\(key)")
        }
        func inventory(_ store: HistoryStore) throws -> [[String]] {
            try store.latestInventory().map { ["\($0.container)", "\($0.requests)", "\($0.limits)", "\($0.replicas ?? -1)"] }
        }
        #expect(try inventory(down.store).count == 20 && inventory(down.store) == inventory(raw.store))
        // Five minutes more, as the service's next cycle: two queries again, the new bucket stored.
        let next = try await PrometheusCollector(api: prometheus.api()).collect(
            CollectionPlan(start: prometheus.end - 300, end: prometheus.end, chunkSeconds: 3_600, mode: .downsampled, scrapeIntervalSeconds: 150),
            store: { try down.store.ingest($0) })
        #expect(next.queries == 2 && next.chunks == 1 && next.usageBuckets >= 40)
    }

    @Test("the bucket still open is read as a partial summary, not watermarked, and the next run's whole bucket replaces it")
    func openBucket() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let namespaces = ["production", "staging", "development"]
        // The last whole bucket ends 5 minutes before the data does; 100 s of the next one are in.
        let end = prometheus.end - 300
        let open = end + 100
        let store = try HistoryStore(path: directory.file("open.sqlite"))
        let collector = PrometheusCollector(api: prometheus.api())
        let first = try await collector.collect(
            CollectionPlan(start: end - 600, end: end, chunkSeconds: 3_600, namespaces: namespaces, mode: .downsampled,
                           scrapeIntervalSeconds: 150, openBucketEnd: open),
            store: { try store.ingest($0) })
        #expect(first.queries == 3, "usage, last values and the open bucket, at once")
        #expect(first.openBucketEnd == open)
        #expect(try store.watermark(source: collector.sourceName) == end, "the open bucket is not watermarked")
        let containers = try store.containers()
        #expect(containers.count == 20)
        var partials: [ContainerID: BucketStats] = [:]
        for container in containers {
            partials[container] = try #require(try store.buckets(container, resource: .memory, from: end, to: end + 300).first)
        }
        // The next cycle resumes at the watermark; the whole bucket replaces the partial one.
        let next = try await collector.collect(
            CollectionPlan(start: end, end: prometheus.end, chunkSeconds: 3_600, namespaces: namespaces, mode: .downsampled, scrapeIntervalSeconds: 150),
            store: { try store.ingest($0) })
        #expect(next.openBucketEnd == nil)
        let raw = try await collect(CollectionPlan(start: end, end: prometheus.end, chunkSeconds: 3_600, namespaces: namespaces, mode: .raw,
                                                   scrapeIntervalSeconds: 150), prometheus, file: directory.file("raw.sqlite"))
        for container in containers {
            for resource in ResourceKind.allCases {
                let whole = try #require(try store.buckets(container, resource: resource, from: end, to: end + 300).first)
                let want = try #require(raw.buckets[Key(container: container, resource: resource, start: end)])
                #expect(relative(whole.mean, want.mean) <= 1e-9 && relative(whole.max, want.max) <= 1e-9, "\(container) \(resource)")
                guard resource == .memory, let partial = partials[container] else { continue }
                // On the demo's 150 s scrapes on the 5-minute grid, the first 100 s hold one of each pod's two samples.
                #expect(whole.count == want.count && partial.count * 2 == want.count, "\(container)")
                #expect(partial.start == end && partial.lastSampleMillis == open * 1000 - 1 && whole.lastSampleMillis == (end + 300) * 1000 - 1)
            }
        }
    }

    @Test("on jittered 60 s scrapes, memory is identical and CPU means and maxima are the per-scrape rates Prometheus samples: raw ones but near a missed scrape")
    func jitteredScrapes() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let start = prometheus.end - 86_400
        func plan(_ mode: CollectionMode) -> CollectionPlan {
            CollectionPlan(start: start, end: prometheus.end, chunkSeconds: 86_400, namespaces: [DemoJitteredScrapes.namespace],
                           mode: mode, scrapeIntervalSeconds: DemoJitteredScrapes.interval)
        }
        let raw = try await collect(plan(.raw), prometheus, file: directory.file("raw.sqlite"))
        let down = try await collect(plan(.downsampled), prometheus, file: directory.file("down.sqlite"))
        #expect(down.buckets.count == 2 * 288 && Set(down.buckets.keys) == Set(raw.buckets.keys))

        // What Prometheus should have computed, from the fixture's own scrapes.
        let scrapes = DemoJitteredScrapes.scrapes(pods: 4, hours: 24, end: prometheus.end)
        var checkedExactly = 0
        for (key, got) in down.buckets {
            let want = try #require(raw.buckets[key])
            if key.resource == .memory {
                #expect(got.count == want.count && relative(got.mean, want.mean) <= 1e-9 && got.max == want.max, "\(key)")
                continue
            }
            #expect(relative(got.mean, want.mean) <= 0.025, "\(key) CPU mean \(got.mean) vs raw \(want.mean)")
            // Per pod, the per-scrape rates Prometheus sees at t + 60 k − 1 ms (k = 1…5): the
            // interval ending at the last scrape before, if both its ends lie in irate's 120 s window.
            var weighted = 0.0, count = 0, peak = 0.0
            for pod in scrapes.values {
                let inside = pod.filter { Int64($0.time.rounded(.down)) >= key.start && $0.time < Double(key.start + 300) }
                var rates: [Double] = []
                for k in 1...5 {
                    let before = Double(key.start + 60 * Int64(k)) - 0.001
                    guard let end = pod.lastIndex(where: { $0.time <= before }), end > 0, pod[end - 1].time >= before - 120 else { continue }
                    let increase = pod[end].cpuSeconds >= pod[end - 1].cpuSeconds ? pod[end].cpuSeconds - pod[end - 1].cpuSeconds : pod[end].cpuSeconds
                    rates.append(increase / (pod[end].time - pod[end - 1].time) * 1000)
                }
                guard !inside.isEmpty, !rates.isEmpty else { continue }
                weighted += rates.reduce(0, +) / Double(rates.count) * Double(inside.count)
                count += inside.count
                peak = max(peak, rates.max() ?? 0)
            }
            #expect(count == got.count, "\(key) count")
            #expect(relative(got.mean, weighted / Double(count)) <= 1e-6, "\(key) CPU mean \(got.mean) vs per-scrape \(weighted / Double(count))")
            #expect(relative(got.max, max(peak, got.mean)) <= 1e-6, "\(key) CPU max \(got.max) vs per-scrape peak \(peak)")
            // Here no scrape's jitter (±4 s) crosses a minute boundary, so every bucket whose scrapes
            // are all there sees exactly the raw intervals.
            if relative(got.mean, want.mean) <= 1e-6 && relative(got.max, want.max) <= 1e-6 { checkedExactly += 1 }
        }
        #expect(checkedExactly >= 286, "buckets equal to raw, of 288 (the missed scrape's bucket and the one after differ)")
        // Three points per bucket instead of five scrapes: fewer samples and bytes come back.
        #expect(down.summary.samples < raw.summary.samples && down.summary.bytesReceived < raw.summary.bytesReceived)
        #expect(down.summary.mode == .downsampled && raw.summary.mode == .raw)
    }
}

/// `headroom collect` records what it cost Prometheus, and `db collections` shows the same figures.
@Suite struct CollectionCostTests {
    @Test("collect -o json and db collections -o json report the same queries, points and bytes")
    func recordedCost() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let binary = try ChildProcess.headroomBinary()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.file("h.sqlite")
        let collected = try await ChildProcess.run(binary, ["collect", "--prometheus", prometheus.url, "--db", db, "--namespace", "jitter",
                                                            "--start", String(prometheus.end - 86_400), "--end", String(prometheus.end), "-o", "json"])
        #expect(collected.status == 0, "\(collected.stderr)")
        #expect(collected.stderr.contains("scrape interval: 60 s"), "detected from the jittered series: \(collected.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(collected.stdout.utf8)) as? [[String: Any]])
        let summary = try #require(report.first?["prometheus"] as? [String: Any])["summary"] as? [String: Any]
        let listed = try await ChildProcess.run(binary, ["db", "collections", "--db", db, "-o", "json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        for (stored, printed) in [("queries", "queries"), ("samples", "samples"), ("bytes", "bytesReceived"), ("series", "series")] {
            #expect(run[stored] as? Int == summary?[printed] as? Int && (run[stored] as? Int ?? 0) > 0, "\(stored)")
        }
        #expect(run["mode"] as? String == "downsampled")
    }
}

/// `--scrape-interval auto` reads the interval where the data is, so a run long after the data
/// ended plans (and downsamples) as one right at its end.
@Suite struct ScrapeIntervalDetectionTests {
    @Test("the jittered 60 s series read 60 s at their end, 20 and 50 minutes after it; 2 hours after, none is found")
    func detectedAfterTheDataEnded() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let collector = PrometheusCollector(api: prometheus.api())
        for later: Int64 in [0, 1_200, 3_000] {
            // Counted up to the run's end, 50 minutes after the data only 10 of the hour's 60 scrapes
            // would be there: 360 s.
            let detected = try await collector.detectScrapeInterval(before: prometheus.end + later, namespaces: [DemoJitteredScrapes.namespace])
            #expect(detected == DemoJitteredScrapes.interval, "\(later) s after the data's end")
        }
        #expect(try await collector.detectScrapeInterval(before: prometheus.end + 7_200, namespaces: [DemoJitteredScrapes.namespace]) == nil)
    }
}
