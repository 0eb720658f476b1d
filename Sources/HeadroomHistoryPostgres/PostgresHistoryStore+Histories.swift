import HeadroomCore
import HeadroomHistory
import PostgresNIO

extension PostgresHistoryStore {
    /// A batch of containers in one read-only transaction (one snapshot) of three queries: their
    /// ids, every bucket of theirs in the window, and their inventory from the last record at or
    /// before the window on. Per container that would be three round trips each.
    public func histories(_ containers: [ContainerID], from: Int64, to: Int64) async throws(HistoryError) -> [ContainerID: StoredHistory] {
        guard !containers.isEmpty else { return [:] }
        let logger = self.logger
        let (buckets, records) = try await transaction("read the history of \(containers.count) containers") { connection in
            let ids = try await PostgresContainerRegistry.existingIDs(of: containers, connection: connection, logger: logger)
            let names = Dictionary(ids.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
            let idList = Array(ids.values)
            var buckets: [ContainerID: (cpu: [BucketStats], memory: [BucketStats])] = [:]
            guard !idList.isEmpty else { return (buckets, [InventoryRecord]()) }
            let usage = try await connection.query("""
                SELECT container_id, resource, bucket_start, samples, mean, max, first_ms, last_ms FROM usage_5m
                WHERE container_id = ANY(\(idList)::bigint[]) AND bucket_start >= \(from) AND bucket_start < \(to)
                ORDER BY container_id, resource, bucket_start
                """, logger: logger)
            for try await (id, resource, start, samples, mean, max, first, last)
                in usage.decode((Int64, Int64, Int64, Int64, Double, Double, Int64, Int64).self) {
                guard let container = names[id] else { continue }
                let stats = BucketStats(start: start, count: Int(samples), mean: mean, max: max, firstSampleMillis: first, lastSampleMillis: last)
                if resource == Int64(ResourceKind.cpu.code) {
                    buckets[container, default: ([], [])].cpu.append(stats)
                } else if resource == Int64(ResourceKind.memory.code) {
                    buckets[container, default: ([], [])].memory.append(stats)
                }
            }
            let inventory = try await connection.query("""
                SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, i.observed_at, i.cpu_request_millicores, i.memory_request_bytes,
                       i.cpu_limit_millicores, i.memory_limit_bytes, i.replicas, i.node_pool, i.zone, i.hpa_min_replicas, i.hpa_max_replicas,
                       i.hpa_target_cpu_percent, i.hpa_target_memory_percent, i.annotations, i.labels
                FROM inventory i JOIN containers c ON c.id = i.container_id
                WHERE i.container_id = ANY(\(idList)::bigint[]) AND i.observed_at < \(to)
                  AND i.observed_at >= coalesce((SELECT max(p.observed_at) FROM inventory p
                                                 WHERE p.container_id = i.container_id AND p.observed_at <= \(from)), 0)
                ORDER BY i.container_id, i.observed_at
                """, logger: logger)
            var records: [InventoryRecord] = []
            for try await row in inventory { records.append(try Self.inventoryRecord(row)) }
            return (buckets, records)
        }
        let byContainer = Dictionary(grouping: records, by: \.container)
        var histories: [ContainerID: StoredHistory] = [:]
        for container in containers {
            let stored = buckets[container]
            histories[container] = StoredHistory(cpu: stored?.cpu ?? [], memory: stored?.memory ?? [],
                                                 declared: InventoryRecord.steps(byContainer[container] ?? [], from: from, to: to, step: 300))
        }
        return histories
    }
}
