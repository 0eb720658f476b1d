import Foundation
import HeadroomCore
@testable import HeadroomEngine
import HeadroomHistory
import HeadroomTesting
import Testing

/// An assessment whose allocation and idle rule take the usage the advice has read
/// (`AssessmentConfiguration.shareReads`) equals one whose every part reads the store, and
/// reads from the store only what the advice window does not cover.
@Suite struct SharedUsageReadsTests {
    static let cluster = SyntheticCluster(name: "east", scale: 1)

    static func assess(_ engine: Engine, history days: Double, idleDays: Int, shared: Bool,
                       hours: UsageHoursCache? = nil, cpu: RecentCPUCache? = nil) async throws -> Assessment {
        var configuration = AssessmentConfiguration(catalog: SyntheticCluster.catalog)
        configuration.advice.jobs = 2
        configuration.advice.historySeconds = Int64(days * 86_400)
        configuration.idleDays = idleDays
        configuration.shareReads = shared
        configuration.usageHours = hours
        configuration.recentCPU = cpu
        return try await engine.assess(configuration, now: cluster.end + 3_600)
    }

    /// A store of the synthetic cluster with its usage ending 25 minutes into an hour, an
    /// hour-long gap in the web container's CPU two days before the end, and web's requests and
    /// replicas changed twice between hours: 5 days before the end (before a 3-day advice
    /// window) and 1 day before it (inside every window).
    static func store(in directory: TemporaryDirectory) throws -> HistoryStore {
        var cluster = Self.cluster
        cluster.end += 1_500
        var batch = cluster.batch()
        let web = cluster.id(.deployment, "web", "web")
        batch.usage.removeAll { $0.container == web && $0.resource == .cpu && $0.stats.start >= cluster.end - 2 * 86_400 && $0.stats.start < cluster.end - 2 * 86_400 + 7_200 }
        let first = try #require(batch.inventory.first { $0.container == web })
        for (daysBefore, replicas, millicores) in [(5, 4, 600), (1, 6, 700)] {
            var changed = first
            changed.observedAt = cluster.end - Int64(daysBefore) * 86_400 - 1_200
            changed.replicas = replicas
            changed.requests.cpu = CPUQuantity(millicores: Int64(millicores))
            batch.inventory.append(changed)
        }
        let store = try HistoryStore(path: directory.file("shared.sqlite"))
        _ = try store.ingest(batch)
        return store
    }

    @Test("advice over 14, 3 and 3.2 days; idle rule over 7 or 2 days: the same assessment as every part read from the store",
          arguments: [(14.0, 7), (3.0, 7), (3.0, 2), (3.2, 2)])
    func sameAssessment(history: Double, idleDays: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let engine = Engine(store: try Self.store(in: directory), cluster: "east")
        let shared = try await Self.assess(engine, history: history, idleDays: idleDays, shared: true)
        let separate = try await Self.assess(engine, history: history, idleDays: idleDays, shared: false)
        #expect(try MultiClusterTests.json(shared) == (try MultiClusterTests.json(separate)))
        #expect(shared.allocation.totalMicrodollars > 0 && !shared.containers.isEmpty)

        // The allocation is priced on requests where usage is below them, so the usage itself
        // is compared too: every hourly mean and every 5-minute CPU mean, to the bit.
        var options = AdviceOptions()
        options.historySeconds = Int64(history * 86_400)
        options.includeHPA = false
        let sharing = SharedUsageReads(recentSeconds: Int64(idleDays) * 86_400)
        _ = try await engine.advise(options, catalog: SyntheticCluster.catalog, progress: nil, sharing: sharing)
        let (start, hours) = try await engine.allocationWindow(since: 30 * 86_400)
        let given = try await engine.usageHours(start: start, hours: hours, shared: sharing)
        let read = try await engine.usageHours(start: start, hours: hours)
        #expect(given.map(\.cpuPerPod) == read.map(\.cpuPerPod) && given.map(\.memoryPerPod) == read.map(\.memoryPerPod))
        let sameDeclared = given.map(\.declared) == read.map(\.declared)
        #expect(sameDeclared, "the declared state of every hour, from the advice's 5-minute steps and from the store's hourly ones")
        let webDeclared = try #require(read.first { $0.container.workload.name == "web" }?.declared)
        #expect(Set(webDeclared.compactMap { $0?.replicas }) == [3, 4, 6], "both changes fall inside the allocation window")
        #expect(read.filter { $0.cpuPerPod.contains { $0 == nil } }.map(\.container.workload.name) == ["web"], "the gap is an hour without CPU")
        let containers = try await engine.store.containers(cluster: "east")
        let end = Self.cluster.end + 1_500
        let from = end - Int64(idleDays) * 86_400
        await #expect(try engine.recentCPU(containers, from: from, to: end, cache: nil, shared: sharing)
                == (try engine.recentCPU(containers, from: from, to: end, cache: nil)))
    }

    @Test("with 3 days of advice, the allocation reads only the 7 older days and the idle rule of 2 days reads nothing")
    func readsOnlyTheRest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let engine = Engine(store: try Self.store(in: directory), cluster: "east")
        let hours = UsageHoursCache(), cpu = RecentCPUCache()
        _ = try await Self.assess(engine, history: 3, idleDays: 2, shared: true, hours: hours, cpu: cpu)
        // 10 days and 25 minutes of usage: 241 hours in the window, the last 72 of them (the
        // first whole hour of the advice window to the hour after its end) from the advice.
        #expect(hours.lastHoursRead == 3 * (241 - 72))
        #expect(cpu.lastBucketsRead == 0)

        let separateHours = UsageHoursCache(), separateCPU = RecentCPUCache()
        _ = try await Self.assess(engine, history: 3, idleDays: 2, shared: false, hours: separateHours, cpu: separateCPU)
        #expect(separateHours.lastHoursRead == 3 * 241)
        #expect(separateCPU.lastBucketsRead == 3 * 2 * 288)
    }
}
