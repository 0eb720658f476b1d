import HeadroomCore
import HeadroomHistory
import Testing

/// Daily costs and the reclamation audit, on both backends.
@Suite struct BackendCostTests {
    let day: Int64 = 86_400
    let api = ContainerID(cluster: "production", namespace: "shop", kind: .deployment, workload: "api", container: "app")
    let web = ContainerID(cluster: "staging", namespace: "shop", kind: .deployment, workload: "web", container: "app")

    func seed(_ store: any HistoryBackend) async throws {
        var batch = CollectedBatch(source: "t")
        batch.inventory = [InventoryRecord(container: api, observedAt: 0), InventoryRecord(container: web, observedAt: 0)]
        try await store.ingest(one: batch)
    }

    func costs(_ container: ContainerID, days: [Int64], cpu: Int64) -> [StoredContainerCost] {
        days.map { StoredContainerCost(day: $0, container: container, pool: "backend", cpuMicrodollars: cpu, ramMicrodollars: cpu / 2, pvMicrodollars: 7) }
    }

    @Test("re-allocating a window replaces its days for that cluster only", arguments: StoreBackend.allCases)
    func replace(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            let pools = [StoredPoolCost(day: day, pool: "backend", nodeMicrodollars: 900, idleCPUMicrodollars: 100, idleRAMMicrodollars: 50,
                                        hours: 24, nodeHours: 72),
                         StoredPoolCost(day: day, pool: "a-frontend", nodeMicrodollars: 400, idleCPUMicrodollars: 0, idleRAMMicrodollars: 0,
                                        hours: 24, nodeHours: 24)]
            try await store.replaceDailyCosts(cluster: "production", from: 0, to: 3 * day, containers: costs(api, days: [0, day, 2 * day], cpu: 100),
                                              pools: pools, unattachedVolumes: [StoredVolumeCost(day: day, volume: "pv-1", microdollars: 30)])
            try await store.replaceDailyCosts(cluster: "staging", from: 0, to: 3 * day, containers: costs(web, days: [day], cpu: 40),
                                              pools: [], unattachedVolumes: [])
            // The same window again with other figures: one row per day and container.
            try await store.replaceDailyCosts(cluster: "production", from: day, to: 3 * day, containers: costs(api, days: [day, 2 * day], cpu: 200),
                                              pools: pools, unattachedVolumes: [])
            let production = try await store.containerCosts(from: 0, to: 3 * day, cluster: "production")
            #expect(production.map(\.cpuMicrodollars) == [100, 200, 200])
            #expect(production.map(\.day) == [0, day, 2 * day])
            #expect(try await store.containerCosts(from: 0, to: 3 * day, cluster: "staging") == costs(web, days: [day], cpu: 40))
            #expect(try await store.containerCosts(from: 0, to: 3 * day, cluster: nil).count == 4)
            #expect(try await store.poolCosts(from: 0, to: 3 * day, cluster: nil).map(\.pool) == ["a-frontend", "backend"])
            #expect(try await store.unattachedVolumeCosts(from: 0, to: 3 * day, cluster: "production").isEmpty)
            #expect(try await store.costDayRange(cluster: "production") == day...day)
            #expect(try await store.costDayRange(cluster: "staging") == nil)
        }
    }

    @Test("a cost outside the window, of another cluster or of an unknown container is refused and changes nothing",
          arguments: StoreBackend.allCases)
    func refused(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await seed(store)
            try await store.replaceDailyCosts(cluster: "production", from: 0, to: day, containers: costs(api, days: [0], cpu: 5), pools: [],
                                              unattachedVolumes: [])
            let stranger = ContainerID(cluster: "production", namespace: "shop", kind: .deployment, workload: "ghost", container: "app")
            for (rows, reason) in [(costs(api, days: [day], cpu: 1), "outside"), (costs(web, days: [0], cpu: 1), "stored as cluster"),
                                   (costs(stranger, days: [0], cpu: 1), "unknown container")] {
                await #expect {
                    try await store.replaceDailyCosts(cluster: "production", from: 0, to: day, containers: rows, pools: [], unattachedVolumes: [])
                } throws: { error in
                    (error as? HistoryError)?.message.contains(reason) == true
                }
            }
            #expect(try await store.containerCosts(from: 0, to: day, cluster: nil).map(\.cpuMicrodollars) == [5])
        }
    }

    @Test("reclamation plans are kept in order with who ran them", arguments: StoreBackend.allCases)
    func audit(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.recordReclaimPlan(createdAt: 10, user: "alice", command: "reclaim plan", inputs: "{}", items: 3,
                                                          monthlySavingMicrodollars: 1_500_000, plan: "[]")
            let second = try await store.recordReclaimPlan(createdAt: 20, user: "bob", command: "reclaim plan --apply", inputs: "{\"a\":1}", items: 1,
                                                           monthlySavingMicrodollars: 2, plan: "[1]")
            #expect(second > first)
            #expect(try await store.reclaimPlans() == [
                ReclaimAuditEntry(id: first, createdAt: 10, user: "alice", command: "reclaim plan", inputs: "{}", items: 3, monthlySavingMicrodollars: 1_500_000),
                ReclaimAuditEntry(id: second, createdAt: 20, user: "bob", command: "reclaim plan --apply", inputs: "{\"a\":1}", items: 1,
                                  monthlySavingMicrodollars: 2),
            ])
        }
    }
}
