import HeadroomCore
import HeadroomHistory
import Testing

/// The Engine's reads besides buckets, on both backends.
@Suite struct BackendEngineReadsTests {
    let api = ContainerID(cluster: "production", namespace: "shop", kind: .deployment, workload: "api", container: "app")

    func node(_ name: String) -> NodeRecord {
        NodeRecord(name: name, nodePool: "backend", zone: "a", instanceType: "m5.xlarge",
                   allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 3900), memory: MemoryQuantity(bytes: 15 << 30)),
                   capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 4000), memory: MemoryQuantity(bytes: 16 << 30)))
    }

    @Test("node snapshots of a window start with the one in force; volumes and quotas come from the latest snapshot",
          arguments: StoreBackend.allCases)
    func snapshots(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let owner = WorkloadID(cluster: "production", namespace: "shop", kind: .statefulSet, name: "db")
            let bound = VolumeRecord(name: "pv-b", storageClass: "gp3", capacityBytes: 100 << 30, phase: "Bound", claimNamespace: "shop",
                                     claimName: "data-db-0", workload: owner)
            let loose = VolumeRecord(name: "pv-a", storageClass: nil, capacityBytes: 1 << 30, phase: "Released")
            let quota = ResourceQuotaRecord(namespace: "shop", name: "compute", resource: "requests.cpu", hard: "8", used: "3500m")
            let snapshots = [
                ClusterObjects(observedAt: 100, nodes: [node("n2"), node("n1")], quotas: [quota], volumes: [bound], cluster: "production"),
                ClusterObjects(observedAt: 200, nodes: [node("n1")], quotas: [quota, ResourceQuotaRecord(namespace: "shop", name: "compute",
                                                                                                          resource: "limits.memory", hard: "64Gi", used: nil)],
                               volumes: [bound, loose], cluster: "production"),
                ClusterObjects(observedAt: 300, nodes: [node("n1"), node("n3")], cluster: "production"),
            ]
            for objects in snapshots { try await store.ingest(one: CollectedBatch(source: "k8s", cluster: objects)) }
            let window = try await store.nodeSnapshots(cluster: "production", from: 150, to: 300)
            #expect(window.map(\.observedAt) == [100, 200])
            #expect(window.first?.nodes == [node("n1"), node("n2")])
            #expect(try await store.nodeSnapshots(cluster: "production", from: 0, to: 1000).map(\.observedAt) == [100, 200, 300])
            #expect(try await store.nodeSnapshots(cluster: "staging", from: 0, to: 1000).isEmpty)
            // The latest snapshot with volumes or quotas is the one at 200.
            #expect(try await store.latestVolumes(cluster: "production") == [loose, bound])
            #expect(try await store.latestQuotas(cluster: nil).map(\.resource) == ["limits.memory", "requests.cpu"])
        }
    }

    @Test("declared state per step and hourly means of the 5-minute means", arguments: StoreBackend.allCases)
    func series(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let early = InventoryRecord(container: api, observedAt: 100, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500)), replicas: 2)
            var late = early
            late.observedAt = 900
            late.replicas = 4
            var batch = try usageBatch(api, (0..<24).map { (Double($0 * 300), Double($0)) })
            batch.inventory = [early, late]
            try await store.ingest(one: batch)
            let steps = try await store.inventorySeries(api, from: 0, to: 1500, step: 300)
            #expect(steps.map { $0?.replicas } == [nil, 2, 2, 4, 4])
            #expect(try await store.inventorySeries(api, from: 600, to: 1200, step: 300).map { $0?.observedAt } == [100, 900])
            // Hour 0 holds means 0…11, hour 1 holds 12…23, hour 2 nothing.
            #expect(try await store.hourlyMeans(api, resource: .cpu, from: 0, hours: 3) == [5.5, 17.5, nil])
            #expect(try await store.hourlyMeans(api, resource: .memory, from: 0, hours: 1) == [nil])
        }
    }

    @Test("a batch's histories are what each container's own reads give; a container the store lacks has an empty one",
          arguments: StoreBackend.allCases)
    func histories(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let web = ContainerID(cluster: "staging", namespace: "shop", kind: .deployment, workload: "web", container: "app")
            let missing = ContainerID(cluster: "production", namespace: "shop", kind: .deployment, workload: "gone", container: "app")
            var batch = try usageBatch(api, (0..<36).map { (Double($0 * 300), Double($0 % 7)) })
            batch.usage += try usageBatch(api, (0..<30).map { (Double($0 * 300 + 60), Double($0 * 1_000)) }, resource: .memory).usage
            batch.usage += try usageBatch(web, (10..<20).map { (Double($0 * 300), 3) }).usage
            batch.inventory = [InventoryRecord(container: api, observedAt: 100, requests: .none, replicas: 2),
                               InventoryRecord(container: api, observedAt: 3_000, requests: .none, replicas: 5),
                               InventoryRecord(container: web, observedAt: 4_000, requests: .none, replicas: 1)]
            try await store.ingest(one: batch)
            let histories = try await store.histories([api, web, missing], from: 1_200, to: 9_000)
            #expect(histories.count == 3)
            for container in [api, web, missing] {
                let own = StoredHistory(
                    cpu: try await store.buckets(container, resource: .cpu, from: 1_200, to: 9_000, resolution: .fiveMinutes),
                    memory: try await store.buckets(container, resource: .memory, from: 1_200, to: 9_000, resolution: .fiveMinutes),
                    declared: try await store.inventorySeries(container, from: 1_200, to: 9_000, step: 300))
                #expect(histories[container] == own, "\(container)")
            }
            let apiHistory = try #require(histories[api])
            #expect(apiHistory.cpu.first?.start == 1_200 && apiHistory.cpu.count == 26 && apiHistory.memory.count == 26 && apiHistory.memory.first?.start == 1_200)
            #expect(apiHistory.declared.first??.replicas == 2 && apiHistory.declared.last??.replicas == 5 && apiHistory.declared.count == 26)
            #expect(histories[missing] == StoredHistory(cpu: [], memory: [], declared: Array(repeating: nil, count: 26)))
        }
    }
}
