import Foundation
import HeadroomCore
import HeadroomHistory
import NIOCore
import PostgresNIO

/// What the service keeps between cycles: the advice cache, and the weekly reports delivered
/// and the advice they showed (`HistoryStore+AdviceCache`, `HistoryStore+ReportDeliveries`).
extension PostgresHistoryStore {
    public func cachedAdvice(cluster: String, payloads: Bool) async throws(HistoryError) -> [ContainerID: CachedAdviceRecord] {
        // Without payloads the column is an empty bytea, so both reads decode one row shape.
        let payload = payloads ? "a.payload" : "''::bytea"
        let records = try await rows("read the advice cache of \(cluster)", """
            SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, a.data_end, a.fingerprint, \(unescaped: payload)
            FROM advice_cache a JOIN containers c ON c.id = a.container_id WHERE c.cluster = \(cluster)
            """) { row in
            let (cluster, namespace, kind, workload, container, dataEnd, fingerprint, payload)
                = try row.decode((String, String, String, String, String, Int64, String, ByteBuffer).self)
            return CachedAdviceRecord(container: ContainerID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: kind),
                                                             workload: workload, container: container),
                                      dataEnd: dataEnd, fingerprint: fingerprint, payload: Array(payload.readableBytesView))
        }
        return Dictionary(records.map { ($0.container, $0) }, uniquingKeysWith: { $1 })
    }

    /// Stores `records` (replacing earlier ones of the same containers) and drops the cached
    /// advice of every other container of `cluster` not in `keeping`, in one transaction.
    public func updateCachedAdvice(cluster: String, _ records: [CachedAdviceRecord], keeping: Set<ContainerID>) async throws(HistoryError) {
        let logger = self.logger
        try await transaction("update the advice cache of \(cluster)") { connection in
            let ids = try await PostgresContainerRegistry.existingIDs(of: records.map(\.container), connection: connection, logger: logger)
            for record in records {
                guard let id = ids[record.container] else { continue }
                try await connection.query("""
                    INSERT INTO advice_cache (container_id, data_end, fingerprint, payload)
                    VALUES (\(id), \(record.dataEnd), \(record.fingerprint), \(ByteBuffer(bytes: record.payload)))
                    ON CONFLICT (container_id) DO UPDATE SET data_end = excluded.data_end, fingerprint = excluded.fingerprint, payload = excluded.payload
                    """, logger: logger)
            }
            let kept = keeping.union(records.map(\.container))
            var stale: [Int64] = []
            let cached = try await connection.query("""
                SELECT a.container_id, c.cluster, c.namespace, c.kind, c.workload, c.container
                FROM advice_cache a JOIN containers c ON c.id = a.container_id WHERE c.cluster = \(cluster)
                """, logger: logger)
            for try await (id, cluster, namespace, kind, workload, container) in cached.decode((Int64, String, String, String, String, String).self) {
                let key = ContainerID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: kind), workload: workload, container: container)
                if !kept.contains(key) { stale.append(id) }
            }
            if !stale.isEmpty {
                try await connection.query("DELETE FROM advice_cache WHERE container_id = ANY(\(stale)::bigint[])", logger: logger)
            }
        }
    }

    /// Per container of `cluster` with cached advice, the highest 5-minute CPU mean and memory
    /// maximum of buckets starting at or after its advice's `dataEnd` (nil: none).
    public func usageSinceCachedAdvice(cluster: String) async throws(HistoryError) -> [ContainerID: (cpuMean: Double?, memoryMax: Double?)] {
        let rows = try await rows("read the usage since the cached advice of \(cluster)", """
            SELECT c.cluster, c.namespace, c.kind, c.workload, c.container,
                   (SELECT max(mean) FROM usage_5m WHERE container_id = c.id AND resource = 0 AND bucket_start >= a.data_end),
                   (SELECT max(max) FROM usage_5m WHERE container_id = c.id AND resource = 1 AND bucket_start >= a.data_end)
            FROM advice_cache a JOIN containers c ON c.id = a.container_id WHERE c.cluster = \(cluster)
            """) { row in
            let (cluster, namespace, kind, workload, container, cpu, memory)
                = try row.decode((String, String, String, String, String, Double?, Double?).self)
            return (ContainerID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: kind), workload: workload, container: container),
                    cpu, memory)
        }
        var since: [ContainerID: (cpuMean: Double?, memoryMax: Double?)] = [:]
        for (container, cpu, memory) in rows { since[container] = (cpu, memory) }
        return since
    }

    public func reportDeliveries(cluster: String, week: String) async throws(HistoryError) -> Set<String> {
        Set(try await collect("read the report deliveries", """
            SELECT channel FROM report_deliveries WHERE cluster = \(cluster) AND week = \(week)
            """, as: String.self))
    }

    /// Records a delivery; recording it again keeps the first time.
    public func recordReportDelivery(cluster: String, week: String, channel: String, at time: Int64) async throws(HistoryError) {
        _ = try await collect("record the report delivery", """
            INSERT INTO report_deliveries (cluster, week, channel, delivered_at) VALUES (\(cluster), \(week), \(channel), \(time))
            ON CONFLICT DO NOTHING RETURNING 1
            """, as: Int32.self)
    }

    /// Replaces the advice recorded for `week` in one transaction.
    public func recordReportAdvice(cluster: String, week: String, _ rows: [RecordedAdvice]) async throws(HistoryError) {
        let logger = self.logger
        try await transaction("record the report advice") { connection in
            try await connection.query("DELETE FROM report_advice WHERE cluster = \(cluster) AND week = \(week)", logger: logger)
            try await connection.copyRows(into: "report_advice", columns: [
                "cluster", "week", "container", "cpu_request_millicores", "memory_request_bytes", "recommended_cpu_request_millicores",
                "recommended_memory_request_bytes", "monthly_microdollars", "recommended_monthly_microdollars",
            ], rows: rows, logger: logger) { encoder, row in
                encoder.add(cluster)
                encoder.add(week)
                encoder.add(row.container)
                encoder.add(row.cpuRequestMillicores)
                encoder.add(row.memoryRequestBytes)
                encoder.add(row.recommendedCPURequestMillicores)
                encoder.add(row.recommendedMemoryRequestBytes)
                encoder.add(row.monthlyMicrodollars)
                encoder.add(row.recommendedMonthlyMicrodollars)
            }
        }
    }

    /// The advice recorded for `week`, by container (in byte order, as SQLite sorts).
    public func reportAdvice(cluster: String, week: String) async throws(HistoryError) -> [RecordedAdvice] {
        try await rows("read the report advice", """
            SELECT container, cpu_request_millicores, memory_request_bytes, recommended_cpu_request_millicores, recommended_memory_request_bytes,
                   monthly_microdollars, recommended_monthly_microdollars
            FROM report_advice WHERE cluster = \(cluster) AND week = \(week)
            """) { row in
            let (container, cpu, memory, recommendedCPU, recommendedMemory, monthly, recommendedMonthly)
                = try row.decode((String, Int64?, Int64?, Int64?, Int64?, Int64, Int64).self)
            return RecordedAdvice(container: container, cpuRequestMillicores: cpu, memoryRequestBytes: memory,
                                  recommendedCPURequestMillicores: recommendedCPU, recommendedMemoryRequestBytes: recommendedMemory,
                                  monthlyMicrodollars: monthly, recommendedMonthlyMicrodollars: recommendedMonthly)
        }.sorted { Array($0.container.utf8).lexicographicallyPrecedes($1.container.utf8) }
    }
}
