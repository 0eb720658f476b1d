import HeadroomCore
import HeadroomHistory
import Testing

/// The collection log, watermarks and per-cluster freshness, on both backends.
@Suite struct BackendCollectionLogTests {
    @Test("collection runs come back newest first, per source, at most `limit`", arguments: StoreBackend.allCases)
    func runs(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            func run(_ source: String, _ startedAt: Int64) -> CollectionRun {
                CollectionRun(source: source, mode: "downsampled", startedAt: startedAt, start: startedAt - 3600, end: startedAt, chunks: 2,
                              queries: 14, series: 1_144, samples: 96_096, bytes: 2_500_000, overloadSplits: 1, seconds: 0.75)
            }
            for (source, time) in [("prom-a", 100), ("prom-b", 200), ("prom-a", 300), ("prom-a", 50)] as [(String, Int64)] {
                try await store.record(run(source, time))
            }
            #expect(try await store.collectionRuns(source: "prom-a", limit: 2) == [run("prom-a", 300), run("prom-a", 100)])
            #expect(try await store.collectionRuns(source: nil, limit: 20).map(\.startedAt) == [300, 200, 100, 50])
        }
    }

    @Test("watermarks by source and each cluster's newest data", arguments: StoreBackend.allCases)
    func freshness(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let production = ContainerID(cluster: "production", namespace: "shop", kind: .deployment, workload: "api", container: "app")
            let staging = ContainerID(cluster: "staging", namespace: "shop", kind: .deployment, workload: "api", container: "app")
            var batch = try usageBatch(production, [(0, 1), (600, 2)], source: "prom-b")
            batch.usage += try usageBatch(staging, [(300, 1)], resource: .memory).usage
            batch.inventory = [InventoryRecord(container: staging, observedAt: 700)]
            try await store.ingest(one: batch)
            try await store.ingest(one: CollectedBatch(source: "k8s-a", watermark: 42,
                                                       cluster: ClusterObjects(observedAt: 800, nodes: [], cluster: "production")))
            try await store.ingest(one: CollectedBatch(source: "k8s-a", cluster: ClusterObjects(observedAt: 900, nodes: [
                NodeRecord(name: "n1", allocatable: .none, capacity: .none)], cluster: "production")))
            #expect(try await store.watermarks() == [SourceWatermark(source: "k8s-a", watermark: 42), SourceWatermark(source: "prom-b", watermark: 600)])
            #expect(try await store.clusterFreshness() == [
                ClusterFreshness(cluster: "production", lastUsageBucket: 600, lastInventory: nil, lastNodeSnapshot: 900, containers: 1),
                ClusterFreshness(cluster: "staging", lastUsageBucket: 300, lastInventory: 700, lastNodeSnapshot: nil, containers: 1),
            ])
            #expect(try await store.usageTimeRange(cluster: "staging") == 300...300)
            #expect(try await store.usageTimeRange(cluster: nil) == 0...600)
        }
    }
}
