import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomRecommend
import HeadroomTesting
import Testing

/// The service's advice kept in the store between cycles (`AdviceOptions.reuse`): computed again
/// only for containers that new usage contradicts, whose inputs changed, or that grew too old.
@Suite(.serialized) struct AdviceReuseTests {
    static let cluster = SyntheticCluster(name: "east", scale: 1)
    static let catalog = SyntheticCluster.catalog

    static func options(maxAge: Int64 = 86_400) -> AdviceOptions {
        var options = AdviceOptions()
        options.jobs = 2
        options.reuse = AdviceReuse(maxAgeSeconds: maxAge)
        return options
    }

    /// Five more minutes of usage for `container` after the cluster's end.
    static func later(_ container: ContainerID, cpu: Double, memory: Double, at time: Int64 = cluster.end) -> CollectedBatch {
        func bucket(_ resource: ResourceKind, _ value: Double) -> UsageBucket {
            UsageBucket(container: container, resource: resource, stats: BucketStats(
                start: time, count: 20, mean: value, max: value, firstSampleMillis: time * 1000, lastSampleMillis: time * 1000 + 285_000))
        }
        return CollectedBatch(source: "later", usage: [bucket(.cpu, cpu), bucket(.memory, memory)], rawSampleCount: 40)
    }

    @Test("a second advise of the same store reuses every container's advice and answers the same")
    func unchangedStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.cluster], in: directory, named: "reuse.sqlite")
        let first = Self.options()
        let computed = try await Engine(store: store, cluster: "east").advise(first, catalog: Self.catalog)
        #expect(first.reuse?.counts.computed == 3 && first.reuse?.counts.reused == 0)
        #expect(try store.cachedAdvice(cluster: "east").count == 3)

        // A new engine on the store, as after a restart.
        let second = Self.options()
        let reused = try await Engine(store: store, cluster: "east").advise(second, catalog: Self.catalog)
        #expect(second.reuse?.counts.reused == 3 && second.reuse?.counts.computed == 0)
        #expect(try MultiClusterTests.json(reused) == MultiClusterTests.json(computed))

        let fresh = try await Engine(store: store, cluster: "east").advise({ var plain = AdviceOptions(); plain.jobs = 2; return plain }(), catalog: Self.catalog)
        #expect(try MultiClusterTests.json(fresh) == MultiClusterTests.json(computed), "the CLI's advice, computed from scratch, is the same")
    }

    @Test("the next cycle takes the advice from memory, decoding none, and answers as a restarted service that decodes all")
    func keptInMemory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.cluster], in: directory, named: "reuse.sqlite")
        let service = Self.options()
        _ = try await Engine(store: store, cluster: "east").advise(service, catalog: Self.catalog)
        let next = try await Engine(store: store, cluster: "east").advise(service, catalog: Self.catalog)
        #expect(service.reuse?.counts.reused == 3 && service.reuse?.counts.decoded == 0)

        let restarted = Self.options()
        let decoded = try await Engine(store: store, cluster: "east").advise(restarted, catalog: Self.catalog)
        #expect(restarted.reuse?.counts.reused == 3 && restarted.reuse?.counts.decoded == 3)
        #expect(try MultiClusterTests.json(next) == MultiClusterTests.json(decoded))
    }

    @Test("a stored record that another writer replaced is decoded, not taken from memory")
    func replacedUnderMemory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.cluster], in: directory, named: "reuse.sqlite")
        let service = Self.options()
        _ = try await Engine(store: store, cluster: "east").advise(service, catalog: Self.catalog)

        // Another replica stored the web container's advice from 5 minutes earlier, with more CPU.
        let web = Self.cluster.id(.deployment, "web", "web")
        let record = try #require(try store.cachedAdvice(cluster: "east")[web])
        var advice = try JSONDecoder().decode(ContainerAdvice.self, from: Data(record.payload))
        let cpu = try #require(advice.recommended.requests.cpu)
        advice.recommended.requests.cpu = CPUQuantity(millicores: cpu.millicores + 7)
        let replaced = CachedAdviceRecord(container: web, dataEnd: record.dataEnd - 300, fingerprint: record.fingerprint,
                                          payload: [UInt8](try JSONEncoder().encode(advice)))
        try store.updateCachedAdvice(cluster: "east", [replaced], keeping: Set(try store.cachedAdvice(cluster: "east").keys))

        let next = try await Engine(store: store, cluster: "east").advise(service, catalog: Self.catalog)
        #expect(service.reuse?.counts.reused == 3 && service.reuse?.counts.decoded == 1)
        #expect(next.containers.first { $0.advice.container == web }?.advice.recommended.requests.cpu?.millicores == cpu.millicores + 7)
    }

    @Test("new usage inside the advice keeps it; usage above a recommended request recomputes that container only")
    func newUsage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.cluster], in: directory, named: "reuse.sqlite")
        let engine = Engine(store: store, cluster: "east")
        let report = try await engine.advise(Self.options(), catalog: Self.catalog)
        let web = Self.cluster.id(.deployment, "web", "web"), worker = Self.cluster.id(.deployment, "worker", "worker")
        let webRequest = try #require(report.containers.first { $0.advice.container == web }?.advice.recommended.requests)
        let workerRequest = try #require(report.containers.first { $0.advice.container == worker }?.advice.recommended.requests)

        // The worker stays quiet; the web container's CPU goes past its recommended request.
        _ = try store.ingest(Self.later(worker, cpu: 1, memory: Double(workerRequest.memory!.bytes) / 2))
        _ = try store.ingest(Self.later(web, cpu: Double(webRequest.cpu!.millicores) * 2, memory: 300 * 1_048_576))
        let options = Self.options()
        let next = try await engine.advise(options, catalog: Self.catalog)
        #expect(options.reuse?.counts.computed == 1 && options.reuse?.counts.reused == 2)
        #expect(next.containers.count == 3)
        #expect(try store.cachedAdvice(cluster: "east")[web]?.dataEnd == Self.cluster.end + 300, "the web container's advice is new")
        #expect(try store.cachedAdvice(cluster: "east")[worker]?.dataEnd == Self.cluster.end, "the worker's is kept")
    }

    @Test("a changed request or advice older than the limit is computed again")
    func changedInputsAndAge() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.cluster], in: directory, named: "reuse.sqlite")
        let engine = Engine(store: store, cluster: "east")
        _ = try await engine.advise(Self.options(), catalog: Self.catalog)

        let db = Self.cluster.id(.statefulSet, "db", "postgres")
        let changed = InventoryRecord(container: db, observedAt: Self.cluster.end - 60,
                                      requests: ResourceAmounts(cpu: CPUQuantity(millicores: 1500), memory: .gibibyte.scaled(by: 4)),
                                      limits: .none, replicas: 1, nodePool: "data", labels: ["team": "data"])
        _ = try store.ingest(CollectedBatch(source: "later", inventory: [changed]))
        let options = Self.options()
        _ = try await engine.advise(options, catalog: Self.catalog)
        #expect(options.reuse?.counts.computed == 1 && options.reuse?.counts.reused == 2)

        // Quiet usage an hour on, against a limit of 30 minutes (15 to 30 by container): every container again.
        let worker = Self.cluster.id(.deployment, "worker", "worker")
        _ = try store.ingest(Self.later(worker, cpu: 1, memory: 60 * 1_048_576, at: Self.cluster.end + 3_600))
        let aged = Self.options(maxAge: 1_800)
        _ = try await engine.advise(aged, catalog: Self.catalog)
        #expect(aged.reuse?.counts.computed == 3 && aged.reuse?.counts.reused == 0)
    }

    @Test("a pool whose largest node changes has its containers' advice computed again (the node bounds their requests); other pools' is kept")
    func changedNodes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.cluster], in: directory, named: "reuse.sqlite")
        let engine = Engine(store: store, cluster: "east")
        _ = try await engine.advise(Self.options(), catalog: Self.catalog)

        func node(_ name: String, _ pool: String, millicores: Int64) -> NodeRecord {
            NodeRecord(name: name, nodePool: pool, zone: "zone-a", instanceType: "m6i.large",
                       allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: millicores), memory: MemoryQuantity(bytes: 7 << 30)),
                       capacity: ResourceAmounts(cpu: CPUQuantity(millicores: millicores + 70), memory: MemoryQuantity(bytes: 8 << 30)))
        }
        // The same backend nodes; the data pool now runs on 4-core nodes.
        let objects = ClusterObjects(observedAt: Self.cluster.end - 60,
                                     nodes: [node("east-backend-0", "backend", millicores: 1930), node("east-backend-1", "backend", millicores: 1930),
                                             node("east-data-0", "data", millicores: 3920), node("east-data-1", "data", millicores: 3920)],
                                     cluster: "east")
        _ = try store.ingest(CollectedBatch(source: "later", cluster: objects))
        let options = Self.options()
        _ = try await engine.advise(options, catalog: Self.catalog)
        #expect(options.reuse?.counts.computed == 1 && options.reuse?.counts.reused == 2)
    }
}

/// The advice cache's fingerprints are stored: a new version that composes them differently
/// makes every container's advice be computed again after an upgrade.
@Suite struct AdviceFingerprintStabilityTests {
    @Test("the fingerprints stored for the synthetic cluster are the ones the previous release stored")
    func fingerprintsUnchanged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([AdviceReuseTests.cluster], in: directory, named: "fingerprints.sqlite")
        _ = try await Engine(store: store, cluster: "east").advise(AdviceReuseTests.options(), catalog: AdviceReuseTests.catalog)
        let stored = try store.cachedAdvice(cluster: "east").sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.fingerprint)" }
        // Recorded from the release before the options' part was described once per run.
        #expect(stored == ["east:shop/Deployment/web/web=e3d8770b4b035ad9", "east:shop/Deployment/worker/worker=171b583bc3d07d08",
                           "east:shop/StatefulSet/db/postgres=d68e9872b106a022"])
    }
}
