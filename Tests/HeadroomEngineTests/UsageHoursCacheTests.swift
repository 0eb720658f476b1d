import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomTesting
import Testing

/// Allocation from hourly usage kept between cycles (`UsageHoursCache`) equals allocation read
/// whole from the store, cycle after cycle, while reading only the recent hours.
@Suite(.serialized) struct UsageHoursCacheTests {
    static let cluster = SyntheticCluster(name: "east", scale: 1)

    static func assessment(_ engine: Engine, cache: UsageHoursCache?) async throws -> String {
        var configuration = AssessmentConfiguration(catalog: SyntheticCluster.catalog)
        configuration.advice.jobs = 2
        configuration.advice.includeHPA = false
        configuration.usageHours = cache
        // Every hour from the store: what the cache saves is measured alone.
        configuration.shareReads = false
        return try MultiClusterTests.json(try await engine.assess(configuration, now: cluster.end + 3_600).allocation)
    }

    /// `minutes` more usage for every container of the cluster from `time`.
    static func usage(from time: Int64, minutes: Int) -> CollectedBatch {
        let containers = [cluster.id(.deployment, "web", "web"), cluster.id(.statefulSet, "db", "postgres"), cluster.id(.deployment, "worker", "worker")]
        var buckets: [UsageBucket] = []
        for step in 0..<(minutes / 5) {
            let start = time + Int64(step) * 300
            for (index, container) in containers.enumerated() {
                for (resource, value) in [(ResourceKind.cpu, 100.0 + Double(index * 50 + step)), (.memory, Double(200 + index * 100) * 1_048_576)] {
                    buckets.append(UsageBucket(container: container, resource: resource, stats: BucketStats(
                        start: start, count: 20, mean: value, max: value, firstSampleMillis: start * 1000, lastSampleMillis: start * 1000 + 285_000)))
                }
            }
        }
        return CollectedBatch(source: "later", usage: buckets, rawSampleCount: buckets.count * 20)
    }

    @Test("cycle after cycle of new usage, the kept hours give the allocation a whole read gives, reading only the last hours")
    func equalAllocation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.cluster], in: directory, named: "hours.sqlite")
        let engine = Engine(store: store, cluster: "east")
        let cache = UsageHoursCache()
        #expect(try await Self.assessment(engine, cache: cache) == (try await Self.assessment(engine, cache: nil)))
        let everyHour = cache.lastHoursRead
        #expect(everyHour == 3 * 10 * 24, "the first read takes every hour of the 10 days")

        var end = Self.cluster.end
        for minutes in [5, 10, 55, 125] {
            _ = try store.ingest(Self.usage(from: end, minutes: minutes))
            end += Int64(minutes) * 60
            #expect(try await Self.assessment(engine, cache: cache) == (try await Self.assessment(engine, cache: nil)), "after \(minutes) more minutes")
            #expect(cache.lastHoursRead <= 3 * 5, "only the last hours are read again (\(cache.lastHoursRead))")
        }

        // A request changed an hour ago shows in the declared hours.
        let web = Self.cluster.id(.deployment, "web", "web")
        _ = try store.ingest(CollectedBatch(source: "later", inventory: [InventoryRecord(
            container: web, observedAt: end - 3_600, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 900), memory: .gibibyte),
            limits: .none, replicas: 5, nodePool: "backend", labels: ["team": "web"])]))
        #expect(try await Self.assessment(engine, cache: cache) == (try await Self.assessment(engine, cache: nil)))
    }

    @Test("once the end has moved past the refresh interval, every hour is read again")
    func refresh() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.cluster], in: directory, named: "hours.sqlite")
        let engine = Engine(store: store, cluster: "east")
        let cache = UsageHoursCache(refreshSeconds: 3_600)
        _ = try await Self.assessment(engine, cache: cache)
        _ = try store.ingest(Self.usage(from: Self.cluster.end, minutes: 125))
        #expect(try await Self.assessment(engine, cache: cache) == (try await Self.assessment(engine, cache: nil)))
        #expect(cache.lastHoursRead >= 3 * 10 * 24, "a full read")
    }
}

/// The reclamation plan's idle rule from CPU kept between cycles (`RecentCPUCache`) equals the
/// plan read whole, while reading only the recent buckets.
@Suite(.serialized) struct RecentCPUCacheTests {
    static func plan(_ engine: Engine, cache: RecentCPUCache?) async throws -> String {
        var configuration = AssessmentConfiguration(catalog: SyntheticCluster.catalog)
        configuration.advice.jobs = 2
        configuration.advice.includeHPA = false
        configuration.recentCPU = cache
        configuration.shareReads = false
        return try MultiClusterTests.json(try await engine.assess(configuration, now: UsageHoursCacheTests.cluster.end + 3_600).reclamation)
    }

    @Test("cycle after cycle, the kept CPU gives the plan a whole read gives (the idle worker stays idle), reading only the last buckets")
    func equalPlan() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([UsageHoursCacheTests.cluster], in: directory, named: "cpu.sqlite")
        let engine = Engine(store: store, cluster: "east")
        let cache = RecentCPUCache()
        let first = try await Self.plan(engine, cache: cache)
        #expect(first == (try await Self.plan(engine, cache: nil)))
        #expect(first.contains("worker"), "the synthetic worker (1 millicore) is idle: \(first.prefix(600))")
        #expect(cache.lastBucketsRead == 3 * 7 * 288)

        var end = UsageHoursCacheTests.cluster.end
        for minutes in [5, 60, 125] {
            _ = try store.ingest(UsageHoursCacheTests.usage(from: end, minutes: minutes))
            end += Int64(minutes) * 60
            #expect(try await Self.plan(engine, cache: cache) == (try await Self.plan(engine, cache: nil)), "after \(minutes) more minutes")
            #expect(cache.lastBucketsRead <= 3 * (24 + minutes / 5), "only the last buckets are read again (\(cache.lastBucketsRead))")
        }
    }
}
