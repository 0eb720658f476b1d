import Foundation
import GRDB
import HeadroomCore

/// One container's advice as the service cached it: what it was computed from and the advice
/// itself, encoded by the engine (the store does not read it).
public struct CachedAdviceRecord: Sendable, Hashable {
    public var container: ContainerID
    /// End of the usage window the advice was computed from, unix seconds.
    public var dataEnd: Int64
    /// The advice's inputs besides usage (inventory, OOM kills, options), as a digest.
    public var fingerprint: String
    public var payload: [UInt8]

    public init(container: ContainerID, dataEnd: Int64, fingerprint: String, payload: [UInt8]) {
        self.container = container
        self.dataEnd = dataEnd
        self.fingerprint = fingerprint
        self.payload = payload
    }
}

extension HistoryStore {
    /// The cached advice of every container of `cluster`, payloads included.
    public func cachedAdvice(cluster: String) throws(HistoryError) -> [ContainerID: CachedAdviceRecord] {
        try cachedAdvice(cluster: cluster, payloads: true)
    }

    /// The cached advice of every container of `cluster`; without `payloads`, each record's
    /// payload is empty and not read.
    public func cachedAdvice(cluster: String, payloads: Bool) throws(HistoryError) -> [ContainerID: CachedAdviceRecord] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, a.data_end, a.fingerprint\(payloads ? ", a.payload" : "")
                FROM advice_cache a JOIN containers c ON c.id = a.container_id WHERE c.cluster = ?
                """, arguments: [cluster])
            var records: [ContainerID: CachedAdviceRecord] = [:]
            for row in rows {
                let container = ContainerRegistry.containerID(row)
                let payload: Data? = payloads ? row["payload"] : nil
                records[container] = CachedAdviceRecord(container: container, dataEnd: row["data_end"], fingerprint: row["fingerprint"],
                                                        payload: payload.map { [UInt8]($0) } ?? [])
            }
            return records
        }
    }

    /// Stores `records` (replacing earlier ones of the same containers) and drops the cached
    /// advice of every other container of `cluster` not in `keeping`, in one transaction.
    public func updateCachedAdvice(cluster: String, _ records: [CachedAdviceRecord], keeping: Set<ContainerID>) throws(HistoryError) {
        try write { db in
            for record in records {
                guard let id = try Self.rowID(of: record.container, db: db) else { continue }
                try db.execute(sql: """
                    INSERT INTO advice_cache (container_id, data_end, fingerprint, payload) VALUES (?, ?, ?, ?)
                    ON CONFLICT (container_id) DO UPDATE SET data_end = excluded.data_end, fingerprint = excluded.fingerprint, payload = excluded.payload
                    """, arguments: [id, record.dataEnd, record.fingerprint, Data(record.payload)])
            }
            let kept = keeping.union(records.map(\.container))
            let cached = try Row.fetchAll(db, sql: """
                SELECT a.container_id, c.cluster, c.namespace, c.kind, c.workload, c.container
                FROM advice_cache a JOIN containers c ON c.id = a.container_id WHERE c.cluster = ?
                """, arguments: [cluster])
            for row in cached where !kept.contains(ContainerRegistry.containerID(row)) {
                try db.execute(sql: "DELETE FROM advice_cache WHERE container_id = ?", arguments: [row["container_id"] as Int64])
            }
        }
    }

    /// What arrived after each cached advice was computed: per container of `cluster` with
    /// cached advice, the highest 5-minute CPU mean (millicores) and the highest memory maximum
    /// (bytes) of buckets starting at or after its `dataEnd` (nil: no such bucket).
    public func usageSinceCachedAdvice(cluster: String) throws(HistoryError) -> [ContainerID: (cpuMean: Double?, memoryMax: Double?)] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.cluster, c.namespace, c.kind, c.workload, c.container,
                       (SELECT max(mean) FROM usage_5m WHERE container_id = c.id AND resource = 0 AND bucket_start >= a.data_end) AS cpu,
                       (SELECT max(max) FROM usage_5m WHERE container_id = c.id AND resource = 1 AND bucket_start >= a.data_end) AS memory
                FROM advice_cache a JOIN containers c ON c.id = a.container_id WHERE c.cluster = ?
                """, arguments: [cluster])
            var since: [ContainerID: (cpuMean: Double?, memoryMax: Double?)] = [:]
            for row in rows { since[ContainerRegistry.containerID(row)] = (row["cpu"], row["memory"]) }
            return since
        }
    }
}
