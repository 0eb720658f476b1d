import HeadroomCore
import HeadroomHistory
import Testing

/// The service's advice cache and the weekly reports' records, on both backends.
@Suite struct BackendServiceStateTests {
    let api = ContainerID(cluster: "production", namespace: "shop", kind: .deployment, workload: "api", container: "app")
    let db = ContainerID(cluster: "production", namespace: "shop", kind: .statefulSet, workload: "db", container: "pg")
    let web = ContainerID(cluster: "staging", namespace: "shop", kind: .deployment, workload: "web", container: "app")

    @Test("the advice cache replaces, keeps what it is told and drops the rest of its cluster only", arguments: StoreBackend.allCases)
    func adviceCache(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var batch = try usageBatch(api, [(0, 100), (600, 300)])
            batch.usage += try usageBatch(db, [(0, 1e9), (900, 2e9)], resource: .memory).usage
            batch.usage += try usageBatch(web, [(0, 1)]).usage
            try await store.ingest(one: batch)
            let records = [CachedAdviceRecord(container: api, dataEnd: 300, fingerprint: "f1", payload: [1, 2, 3]),
                           CachedAdviceRecord(container: db, dataEnd: 600, fingerprint: "f2", payload: [4])]
            try await store.updateCachedAdvice(cluster: "production", records, keeping: [])
            try await store.updateCachedAdvice(cluster: "staging", [CachedAdviceRecord(container: web, dataEnd: 0, fingerprint: "w", payload: [])],
                                               keeping: [])
            #expect(try await store.cachedAdvice(cluster: "production", payloads: true) == [api: records[0], db: records[1]])
            let headers = try await store.cachedAdvice(cluster: "production", payloads: false)
            #expect(headers[api]?.fingerprint == "f1" && headers[api]?.dataEnd == 300 && headers[db]?.fingerprint == "f2", "headers without payloads")
            #expect(headers.values.allSatisfy { $0.payload.isEmpty })
            let since = try await store.usageSinceCachedAdvice(cluster: "production")
            #expect(since[api]?.cpuMean == 300 && since[api]?.memoryMax == nil)
            #expect(since[db]?.memoryMax == 2e9 && since[db]?.cpuMean == nil)

            // A new advice for api; db is neither advised again nor kept: dropped. Staging untouched.
            let newer = CachedAdviceRecord(container: api, dataEnd: 900, fingerprint: "f3", payload: [9])
            try await store.updateCachedAdvice(cluster: "production", [newer], keeping: [])
            #expect(try await store.cachedAdvice(cluster: "production", payloads: true) == [api: newer])
            #expect(try await store.cachedAdvice(cluster: "staging", payloads: true).count == 1)
            try await store.updateCachedAdvice(cluster: "production", [], keeping: [api])
            #expect(try await store.cachedAdvice(cluster: "production", payloads: true) == [api: newer])
        }
    }

    @Test("a report delivery is recorded once per channel; its advice is replaced when made again", arguments: StoreBackend.allCases)
    func reports(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.recordReportDelivery(cluster: "production", week: "2026-W49", channel: "mail", at: 100)
            try await store.recordReportDelivery(cluster: "production", week: "2026-W49", channel: "mail", at: 200)
            try await store.recordReportDelivery(cluster: "production", week: "2026-W49", channel: "post", at: 200)
            #expect(try await store.reportDeliveries(cluster: "production", week: "2026-W49") == ["mail", "post"])
            #expect(try await store.reportDeliveries(cluster: "staging", week: "2026-W49").isEmpty)

            func advice(_ name: String, _ monthly: Int64) -> RecordedAdvice {
                RecordedAdvice(container: name, cpuRequestMillicores: 500, memoryRequestBytes: nil, recommendedCPURequestMillicores: 250,
                               recommendedMemoryRequestBytes: 1 << 30, monthlyMicrodollars: monthly, recommendedMonthlyMicrodollars: monthly / 2)
            }
            try await store.recordReportAdvice(cluster: "production", week: "2026-W49", [advice("shop/b", 10), advice("shop/a\tx", 20)])
            try await store.recordReportAdvice(cluster: "production", week: "2026-W49", [advice("shop/c", 30), advice("shop/B", 40)])
            #expect(try await store.reportAdvice(cluster: "production", week: "2026-W49") == [advice("shop/B", 40), advice("shop/c", 30)])
        }
    }
}
