import Foundation
import GRDB
import HeadroomCore

/// Which stored bucket table a query reads.
public enum SeriesResolution: String, Sendable, CaseIterable {
    case fiveMinutes
    case hourly

    public var step: Int64 { self == .fiveMinutes ? 300 : 3600 }
    var table: String { self == .fiveMinutes ? "usage_5m" : "usage_1h" }
}

extension HistoryStore {
    /// Every container the store knows (of one cluster when given), sorted.
    public func containers(cluster: String? = nil) throws(HistoryError) -> [ContainerID] {
        try read { db in
            // In the order `sorted()` gives for names in ASCII (the unique index's), so the sort
            // only checks it; sorting 10,000 in Swift took 2 % of a steady cycle.
            try Row.fetchAll(db, sql: """
                SELECT cluster, namespace, kind, workload, container FROM containers WHERE ?1 IS NULL OR cluster = ?1
                ORDER BY cluster, namespace, kind, workload, container
                """, arguments: [cluster])
                .map(ContainerRegistry.containerID).sorted()
        }
    }

    /// The clusters the store holds containers or cluster objects of, sorted.
    public func clusters() throws(HistoryError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT cluster FROM containers UNION SELECT cluster FROM nodes ORDER BY 1")
        }
    }

    /// Stored buckets of one container and resource with `start` in `[from, to)`, in time order.
    public func buckets(
        _ container: ContainerID, resource: ResourceKind, from: Int64, to: Int64, resolution: SeriesResolution = .fiveMinutes
    ) throws(HistoryError) -> [BucketStats] {
        try read { db in
            guard let id = try Self.rowID(of: container, db: db) else { return [] }
            return try BucketReader.read(db, table: resolution.table, containerID: id, resource: resource.code, from: from, to: to)
        }
    }

    /// A regular series over `[from, to)` (aligned down to the step) with `nil` where no bucket
    /// is stored: CPU in millicores or memory in bytes, per pod.
    public func series(
        _ container: ContainerID, resource: ResourceKind, statistic: BucketStatistic = .mean,
        from: Int64, to: Int64, resolution: SeriesResolution = .fiveMinutes
    ) throws(HistoryError) -> RegularSeries {
        try buckets(container, resource: resource, from: from, to: to, resolution: resolution).gridded(statistic, from: from, to: to, resolution: resolution)
    }

    /// The mean and the max series of one container and resource from one read: what
    /// `series(statistic: .mean)` and `series(statistic: .max)` give, for half the queries.
    public func meanAndMaxSeries(
        _ container: ContainerID, resource: ResourceKind, from: Int64, to: Int64, resolution: SeriesResolution = .fiveMinutes
    ) throws(HistoryError) -> (mean: RegularSeries, max: RegularSeries) {
        let stored = try buckets(container, resource: resource, from: from, to: to, resolution: resolution)
        return (stored.gridded(.mean, from: from, to: to, resolution: resolution), stored.gridded(.max, from: from, to: to, resolution: resolution))
    }

    /// The latest inventory record of each container (as of `asOf`, unix seconds, when given;
    /// of one cluster when given), sorted by container (SQLite orders them, the sort checks it).
    public func latestInventory(asOf: Int64? = nil, cluster: String? = nil) throws(HistoryError) -> [InventoryRecord] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, i.*
                FROM inventory i JOIN containers c ON c.id = i.container_id
                WHERE (?2 IS NULL OR c.cluster = ?2)
                  AND i.observed_at = (SELECT max(observed_at) FROM inventory
                                       WHERE container_id = i.container_id AND observed_at <= ?1)
                ORDER BY c.cluster, c.namespace, c.kind, c.workload, c.container
                """, arguments: [asOf ?? Int64.max, cluster])
            return self.inventoryRecords(rows).sorted { $0.container < $1.container }
        }
    }

    /// The declared replica count per step over `[from, to)`: the value of the latest inventory
    /// record at or before each step start (`nil` before the first one). Multiplied by per-pod
    /// usage it gives the workload's total demand, which an HPA replay needs.
    public func replicaSeries(_ container: ContainerID, from: Int64, to: Int64, step: Int64 = 300) throws(HistoryError) -> [Int?] {
        try inventorySeries(container, from: from, to: to, step: step).replicaCounts
    }

    /// Stored events, optionally of one kind and of one cluster, in time order.
    public func events(kind: ContainerEvent.Kind? = nil, cluster: String? = nil) throws(HistoryError) -> [ContainerEvent] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, e.pod, e.time, e.kind AS event_kind, e.memory_bytes
                FROM events e JOIN containers c ON c.id = e.container_id
                WHERE (?1 IS NULL OR e.kind = ?1) AND (?2 IS NULL OR c.cluster = ?2)
                ORDER BY e.time, c.id, e.pod
                """, arguments: [kind?.rawValue, cluster]).compactMap { row in
                guard let eventKind = ContainerEvent.Kind(rawValue: row["event_kind"]) else { return nil }
                return ContainerEvent(container: ContainerRegistry.containerID(row), pod: row["pod"], time: row["time"],
                                      kind: eventKind, memoryBytes: row["memory_bytes"])
            }
        }
    }

    /// The collection watermark of a source (latest sample time stored, unix seconds).
    public func watermark(source: String) throws(HistoryError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT watermark FROM watermarks WHERE source = ?", arguments: [source]) }
    }

    /// Earliest and latest 5-minute bucket start stored (of one cluster when given), or nil when
    /// there is none.
    public func usageTimeRange(cluster: String? = nil) throws(HistoryError) -> ClosedRange<Int64>? {
        try read { db in
            // Per container and resource through the primary key, not a scan of every bucket.
            let row = try Row.fetchOne(db, sql: """
                SELECT min(low), max(high) FROM (
                    SELECT (SELECT min(bucket_start) FROM usage_5m WHERE container_id = c.id AND resource = r.code) AS low,
                           (SELECT max(bucket_start) FROM usage_5m WHERE container_id = c.id AND resource = r.code) AS high
                    FROM containers c, (SELECT 0 AS code UNION ALL SELECT 1) r
                    WHERE ?1 IS NULL OR c.cluster = ?1)
                """, arguments: [cluster])
            guard let row, let low: Int64 = row[0], let high: Int64 = row[1] else { return nil }
            return low...high
        }
    }

    static func rowID(of container: ContainerID, db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM containers WHERE cluster = ? AND namespace = ? AND kind = ? AND workload = ? AND container = ?
            """), arguments: [container.workload.cluster, container.workload.namespace, container.workload.kind.rawValue,
                              container.workload.name, container.container])
    }

    /// A stored inventory row as a record. Labels or annotations that no longer decode (a store
    /// edited by hand, say) are left empty and reported through `takeWarnings()`, naming the row.
    /// `columns` are the query's, found once for all its rows (`inventoryRecords`).
    func inventoryRecord(_ row: Row, _ columns: RowColumns) -> InventoryRecord {
        func column<Value: DatabaseValueConvertible>(_ name: String) -> Value? { columns.value(row, name) }
        let container = ContainerID(cluster: column("cluster") ?? "", namespace: column("namespace") ?? "",
                                    kind: WorkloadKind(rawValue: column("kind") ?? ""), workload: column("workload") ?? "",
                                    container: column("container") ?? "")
        let observedAt: Int64 = column("observed_at") ?? 0
        func decoded(_ name: String) -> [String: String] {
            guard let text: String = column(name) else { return [:] }
            do { return try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) } catch {
                warn("stored \(name) of \(container) observed at \(observedAt) are not a JSON object of strings: ignored")
                return [:]
            }
        }
        var hpa: HPASpec?
        if let min: Int = column("hpa_min_replicas"), let max: Int = column("hpa_max_replicas") {
            hpa = HPASpec(minReplicas: min, maxReplicas: max, targetCPUUtilizationPercent: column("hpa_target_cpu_percent"),
                          targetMemoryUtilizationPercent: column("hpa_target_memory_percent"))
        }
        let cpuRequest: Int64? = column("cpu_request_millicores")
        let memoryRequest: Int64? = column("memory_request_bytes")
        let cpuLimit: Int64? = column("cpu_limit_millicores")
        let memoryLimit: Int64? = column("memory_limit_bytes")
        return InventoryRecord(
            container: container, observedAt: observedAt,
            requests: ResourceAmounts(cpu: cpuRequest.map(CPUQuantity.init(millicores:)), memory: memoryRequest.map(MemoryQuantity.init(bytes:))),
            limits: ResourceAmounts(cpu: cpuLimit.map(CPUQuantity.init(millicores:)), memory: memoryLimit.map(MemoryQuantity.init(bytes:))),
            replicas: column("replicas"), nodePool: column("node_pool"), zone: column("zone"), hpa: hpa,
            annotations: decoded("annotations"),
            labels: decoded("labels"))
    }

    /// Inventory rows as records, their columns found once.
    func inventoryRecords(_ rows: [Row]) -> [InventoryRecord] {
        guard let first = rows.first else { return [] }
        let columns = RowColumns(first)
        return rows.map { inventoryRecord($0, columns) }
    }
}
