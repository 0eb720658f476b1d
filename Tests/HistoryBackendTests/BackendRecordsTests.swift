import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

/// Inventory, events, nodes, watermarks, clusters and retention, on both backends.
@Suite struct BackendRecordsTests {
    let api = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")
    let day: Int64 = 86_400

    @Test("inventory answers the latest declared state as of a time, labels and annotations included", arguments: StoreBackend.allCases)
    func inventory(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let early = InventoryRecord(container: api, observedAt: 100, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500)), replicas: 2)
            var late = early
            late.observedAt = 900
            late.replicas = 4
            late.limits = ResourceAmounts(cpu: CPUQuantity(millicores: 1000), memory: MemoryQuantity(bytes: 1 << 30))
            late.nodePool = "backend"
            late.zone = "us-east-1a"
            late.hpa = HPASpec(minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercent: 70)
            late.annotations = ["headroom.io/margin": "0.3"]
            late.labels = ["app": "api\twith a tab", "tier": "back\\end"]
            let summary = try await store.ingest(one: CollectedBatch(source: "t", inventory: [early, late]))
            #expect(summary.inventoryRows == 2)
            #expect(try await store.latestInventory(asOf: nil, cluster: nil) == [late])
            #expect(try await store.latestInventory(asOf: 500, cluster: nil) == [early])
            #expect(try await store.latestInventory(asOf: 50, cluster: nil).isEmpty)
            #expect(try await store.latestInventory(asOf: nil, cluster: "elsewhere").isEmpty)

            // The same observation stored again replaces it.
            var corrected = late
            corrected.replicas = 5
            try await store.ingest(one: CollectedBatch(source: "t", inventory: [corrected]))
            #expect(try await store.latestInventory(asOf: nil, cluster: nil) == [corrected])
        }
    }

    @Test("events are stored once, filter by kind and cluster, and watermarks only move forward", arguments: StoreBackend.allCases)
    func eventsAndWatermarks(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let other = ContainerID(cluster: "staging", namespace: "prod", kind: .deployment, workload: "api", container: "app")
            let oom = ContainerEvent(container: api, pod: "api-1", time: 500, kind: .oomKilled, memoryBytes: 512)
            let restart = ContainerEvent(container: api, pod: "api-1", time: 500, kind: .restart)
            let elsewhere = ContainerEvent(container: other, pod: "api-2", time: 400, kind: .restart)
            try await store.ingest(one: CollectedBatch(source: "s", events: [oom, restart, elsewhere], watermark: 900))
            try await store.ingest(one: CollectedBatch(source: "s", events: [oom], watermark: 600))
            #expect(try await store.events(kind: .oomKilled, cluster: nil) == [oom])
            #expect(try await store.events(kind: nil, cluster: nil).map(\.time) == [400, 500, 500])
            #expect(try await store.events(kind: .restart, cluster: "staging") == [elsewhere])
            #expect(try await store.watermark(source: "s") == 900)
            #expect(try await store.watermark(source: "other") == nil)
            #expect(try await store.clusters() == ["default", "staging"])
            #expect(try await store.containers(cluster: "staging") == [other])
        }
    }

    @Test("the latest node snapshot of each cluster; a snapshot stored again replaces it", arguments: StoreBackend.allCases)
    func nodes(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            func node(_ name: String, _ cpu: Int64) -> NodeRecord {
                NodeRecord(name: name, nodePool: "frontend", zone: "a", instanceType: "m5.large",
                           allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: cpu), memory: MemoryQuantity(bytes: 8 << 30)),
                           capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: nil))
            }
            let old = ClusterObjects(observedAt: 100, nodes: [node("n1", 1900), node("n2", 1900)], cluster: "production")
            let new = ClusterObjects(observedAt: 200, nodes: [node("n3", 1800), node("n1", 1700)], cluster: "production")
            let staging = ClusterObjects(observedAt: 150, nodes: [node("s1", 900)], cluster: "staging")
            for objects in [old, new, staging, new] {
                try await store.ingest(one: CollectedBatch(source: "k8s", cluster: objects))
            }
            #expect(try await store.latestNodes(cluster: "production") == [node("n1", 1700), node("n3", 1800)])
            #expect(try await store.latestNodes(cluster: nil).map(\.name) == ["n1", "n3", "s1"])
            #expect(try await store.clusters() == ["production", "staging"])
        }
    }

    @Test("buckets older than the window roll up to hourly with sample-weighted means, once", arguments: StoreBackend.allCases)
    func rollup(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            // Hour 0: twelve buckets, one sample each of 0…11, plus a second sample of 100 in the
            // first bucket. Weighted mean = (66 + 100) / 13.
            var samples = (0..<12).map { (Double($0 * 300), Double($0)) }
            samples.append((10, 100))
            samples.append((Double(40 * day), 5))
            try await store.ingest(one: try usageBatch(api, samples))
            let policy = RetentionPolicy(fiveMinuteRetentionSeconds: 35 * day)
            let summary = try await store.applyRetention(now: 40 * day + 3600, policy: policy)
            #expect(summary == RetentionSummary(horizon: 5 * day + 3600, fiveMinuteRowsRolledUp: 12, hourlyRowsWritten: 1))
            let hourly = try await store.buckets(api, resource: .cpu, from: 0, to: 3600, resolution: .hourly)
            #expect(hourly.count == 1 && hourly[0].count == 13 && hourly[0].max == 100)
            #expect(approximately(hourly[0].mean, 166.0 / 13, tolerance: 1e-9, because: "sum of 13 small values in floating point"))
            #expect(try await store.buckets(api, resource: .cpu, from: 0, to: 3600, resolution: .fiveMinutes).isEmpty)
            #expect(try await store.buckets(api, resource: .cpu, from: 40 * day, to: 41 * day, resolution: .fiveMinutes).count == 1)

            // Running again changes nothing; re-importing the old data cannot count it twice.
            #expect(try await store.applyRetention(now: 40 * day + 3600, policy: policy).fiveMinuteRowsRolledUp == 0)
            let again = try await store.ingest(one: try usageBatch(api, samples))
            #expect(again.skippedBeforeHorizon == 12 && again.usageRows == 1)
            _ = try await store.applyRetention(now: 40 * day + 3600, policy: policy)
            #expect(try await store.buckets(api, resource: .cpu, from: 0, to: 3600, resolution: .hourly) == hourly)
        }
    }
}
