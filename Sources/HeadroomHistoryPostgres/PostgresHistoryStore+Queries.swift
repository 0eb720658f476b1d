import Foundation
import HeadroomCore
import HeadroomHistory
import PostgresNIO

extension PostgresHistoryStore {
    public func containers(cluster: String? = nil) async throws(HistoryError) -> [ContainerID] {
        try await rows("read the containers", """
            SELECT cluster, namespace, kind, workload, container FROM containers WHERE \(cluster)::text IS NULL OR cluster = \(cluster)
            """) { row in
            let (cluster, namespace, kind, workload, container) = try row.decode((String, String, String, String, String).self)
            return ContainerID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: kind), workload: workload, container: container)
        }.sorted()
    }

    /// Sorted here, not by the server: a server's collation may order names differently from SQLite's bytes.
    public func clusters() async throws(HistoryError) -> [String] {
        try await collect("read the clusters", "SELECT cluster FROM containers UNION SELECT cluster FROM nodes", as: String.self).sorted()
    }

    public func buckets(
        _ container: ContainerID, resource: ResourceKind, from: Int64, to: Int64, resolution: SeriesResolution = .fiveMinutes
    ) async throws(HistoryError) -> [BucketStats] {
        let table = resolution == .fiveMinutes ? "usage_5m" : "usage_1h"
        let workload = container.workload
        return try await rows("read the buckets of \(container)", """
            SELECT u.bucket_start, u.samples, u.mean, u.max, u.first_ms, u.last_ms
            FROM \(unescaped: table) u JOIN containers c ON c.id = u.container_id
            WHERE c.cluster = \(workload.cluster) AND c.namespace = \(workload.namespace) AND c.kind = \(workload.kind.rawValue)
              AND c.workload = \(workload.name) AND c.container = \(container.container)
              AND u.resource = \(Int64(resource.code)) AND u.bucket_start >= \(from) AND u.bucket_start < \(to)
            ORDER BY u.bucket_start
            """) { row in
            let (start, samples, mean, max, first, last) = try row.decode((Int64, Int64, Double, Double, Int64, Int64).self)
            return BucketStats(start: start, count: Int(samples), mean: mean, max: max, firstSampleMillis: first, lastSampleMillis: last)
        }
    }

    public func latestInventory(asOf: Int64? = nil, cluster: String? = nil) async throws(HistoryError) -> [InventoryRecord] {
        let records = try await rows("read the inventory", """
            SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, i.observed_at, i.cpu_request_millicores, i.memory_request_bytes,
                   i.cpu_limit_millicores, i.memory_limit_bytes, i.replicas, i.node_pool, i.zone, i.hpa_min_replicas, i.hpa_max_replicas,
                   i.hpa_target_cpu_percent, i.hpa_target_memory_percent, i.annotations, i.labels
            FROM inventory i JOIN containers c ON c.id = i.container_id
            WHERE (\(cluster)::text IS NULL OR c.cluster = \(cluster))
              AND i.observed_at = (SELECT max(observed_at) FROM inventory WHERE container_id = i.container_id AND observed_at <= \(asOf ?? Int64.max))
            """) { row in try Self.inventoryRecord(row) }
        return records.sorted { $0.container < $1.container }
    }

    public func events(kind: ContainerEvent.Kind? = nil, cluster: String? = nil) async throws(HistoryError) -> [ContainerEvent] {
        let kindName = kind?.rawValue
        let rows = try await rows("read the events", """
            SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, e.pod, e.time, e.kind, e.memory_bytes
            FROM events e JOIN containers c ON c.id = e.container_id
            WHERE (\(kindName)::text IS NULL OR e.kind = \(kindName)) AND (\(cluster)::text IS NULL OR c.cluster = \(cluster))
            ORDER BY e.time, c.id, e.pod
            """) { row -> ContainerEvent? in
            let (cluster, namespace, kind, workload, container, pod, time, eventKind, memory)
                = try row.decode((String, String, String, String, String, String, Int64, String, Int64?).self)
            guard let eventKind = ContainerEvent.Kind(rawValue: eventKind) else { return nil }
            return ContainerEvent(container: ContainerID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: kind),
                                                         workload: workload, container: container),
                                  pod: pod, time: time, kind: eventKind, memoryBytes: memory)
        }
        return rows.compactMap { $0 }
    }

    public func latestNodes(cluster: String? = nil) async throws(HistoryError) -> [NodeRecord] {
        let nodes = try await rows("read the nodes", """
            SELECT n.cluster, n.name, n.node_pool, n.zone, n.instance_type, n.cpu_allocatable_millicores, n.memory_allocatable_bytes,
                   n.cpu_capacity_millicores, n.memory_capacity_bytes
            FROM nodes n WHERE (\(cluster)::text IS NULL OR n.cluster = \(cluster))
              AND n.observed_at = (SELECT max(observed_at) FROM nodes WHERE cluster = n.cluster)
            """) { row -> (cluster: String, node: NodeRecord) in
            let (cluster, name, pool, zone, type, cpuAllocatable, memoryAllocatable, cpuCapacity, memoryCapacity)
                = try row.decode((String, String, String?, String?, String?, Int64?, Int64?, Int64?, Int64?).self)
            return (cluster, Self.node(name, pool, zone, type, cpuAllocatable, memoryAllocatable, cpuCapacity, memoryCapacity))
        }
        // The SQLite store's order: by cluster, then name, in bytes.
        return nodes.sorted { ($0.cluster, $0.node.name) < ($1.cluster, $1.node.name) }.map(\.node)
    }

    public func watermark(source: String) async throws(HistoryError) -> Int64? {
        try await collect("read the watermark of \(source)", "SELECT watermark FROM watermarks WHERE source = \(source)", as: Int64.self).first
    }

    public func usageTimeRange(cluster: String? = nil) async throws(HistoryError) -> ClosedRange<Int64>? {
        // Per container and resource through the primary key, not a scan of every bucket.
        let bounds = try await rows("read the usage time range", """
            SELECT min(low), max(high) FROM (
                SELECT (SELECT min(bucket_start) FROM usage_5m WHERE container_id = c.id AND resource = r.code) AS low,
                       (SELECT max(bucket_start) FROM usage_5m WHERE container_id = c.id AND resource = r.code) AS high
                FROM containers c, (VALUES (0), (1)) AS r(code)
                WHERE \(cluster)::text IS NULL OR c.cluster = \(cluster)) AS ranges
            """) { row in try row.decode((Int64?, Int64?).self) }
        guard let first = bounds.first, let low = first.0, let high = first.1 else { return nil }
        return low...high
    }

    /// An inventory row as a record; labels or annotations that do not decode are left empty.
    static func inventoryRecord(_ row: PostgresRow) throws -> InventoryRecord {
        let (cluster, namespace, kind, workload, container, observedAt, cpuRequest, memoryRequest, cpuLimit, memoryLimit)
            = try row.decode((String, String, String, String, String, Int64, Int64?, Int64?, Int64?, Int64?).self)
        let columns = row.makeRandomAccess()
        let replicas = try columns["replicas"].decode(Int64?.self)
        let pool = try columns["node_pool"].decode(String?.self), zone = try columns["zone"].decode(String?.self)
        let hpaMin = try columns["hpa_min_replicas"].decode(Int64?.self), hpaMax = try columns["hpa_max_replicas"].decode(Int64?.self)
        let hpaCPU = try columns["hpa_target_cpu_percent"].decode(Int64?.self)
        let hpaMemory = try columns["hpa_target_memory_percent"].decode(Int64?.self)
        func decoded(_ column: String) throws -> [String: String] {
            guard let text = try columns[column].decode(String?.self) else { return [:] }
            return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
        var hpa: HPASpec?
        if let hpaMin, let hpaMax {
            hpa = HPASpec(minReplicas: Int(hpaMin), maxReplicas: Int(hpaMax), targetCPUUtilizationPercent: hpaCPU.map(Int.init),
                          targetMemoryUtilizationPercent: hpaMemory.map(Int.init))
        }
        return InventoryRecord(
            container: ContainerID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: kind), workload: workload, container: container),
            observedAt: observedAt,
            requests: ResourceAmounts(cpu: cpuRequest.map(CPUQuantity.init(millicores:)), memory: memoryRequest.map(MemoryQuantity.init(bytes:))),
            limits: ResourceAmounts(cpu: cpuLimit.map(CPUQuantity.init(millicores:)), memory: memoryLimit.map(MemoryQuantity.init(bytes:))),
            replicas: replicas.map(Int.init), nodePool: pool, zone: zone, hpa: hpa,
            annotations: try decoded("annotations"), labels: try decoded("labels"))
    }
}

extension PostgresHistoryStore {
    public func series(
        _ container: ContainerID, resource: ResourceKind, statistic: BucketStatistic = .mean,
        from: Int64, to: Int64, resolution: SeriesResolution = .fiveMinutes
    ) async throws(HistoryError) -> RegularSeries {
        try await buckets(container, resource: resource, from: from, to: to, resolution: resolution)
            .gridded(statistic, from: from, to: to, resolution: resolution)
    }

    public func meanAndMaxSeries(
        _ container: ContainerID, resource: ResourceKind, from: Int64, to: Int64, resolution: SeriesResolution = .fiveMinutes
    ) async throws(HistoryError) -> (mean: RegularSeries, max: RegularSeries) {
        let stored = try await buckets(container, resource: resource, from: from, to: to, resolution: resolution)
        return (stored.gridded(.mean, from: from, to: to, resolution: resolution), stored.gridded(.max, from: from, to: to, resolution: resolution))
    }

    public func replicaSeries(_ container: ContainerID, from: Int64, to: Int64, step: Int64 = 300) async throws(HistoryError) -> [Int?] {
        try await inventorySeries(container, from: from, to: to, step: step).replicaCounts
    }

    /// Rows PostgreSQL returns are typed; a bad one fails its read instead of being skipped with a warning.
    public func takeWarnings() -> [String] { [] }
}
