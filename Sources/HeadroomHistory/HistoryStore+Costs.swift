import Foundation
import GRDB
import HeadroomCore

/// One recorded reclamation plan.
public struct ReclaimAuditEntry: Hashable, Sendable, Codable {
    public var id: Int64
    public var createdAt: Int64
    public var user: String
    public var command: String
    public var inputs: String
    public var items: Int
    public var monthlySavingMicrodollars: Int64

    public init(id: Int64, createdAt: Int64, user: String, command: String, inputs: String, items: Int, monthlySavingMicrodollars: Int64) {
        self.id = id
        self.createdAt = createdAt
        self.user = user
        self.command = command
        self.inputs = inputs
        self.items = items
        self.monthlySavingMicrodollars = monthlySavingMicrodollars
    }
}

extension HistoryStore {
    /// Replaces every stored day of `cluster` in `[from, to)` with these rows, in one transaction:
    /// re-running an allocation over the same window leaves exactly one row per day and container
    /// (or pool), and other clusters' days are not touched.
    public func replaceDailyCosts(cluster: String, from: Int64, to: Int64, containers: [StoredContainerCost], pools: [StoredPoolCost],
                                  unattachedVolumes: [StoredVolumeCost] = []) throws(HistoryError) {
        try write { db in
            try db.execute(sql: """
                DELETE FROM cost_daily WHERE day >= ? AND day < ? AND container_id IN (SELECT id FROM containers WHERE cluster = ?)
                """, arguments: [from, to, cluster])
            try db.execute(sql: "DELETE FROM unattached_volume_cost_daily WHERE cluster = ? AND day >= ? AND day < ?", arguments: [cluster, from, to])
            let volume = try db.makeStatement(sql: "INSERT INTO unattached_volume_cost_daily (cluster, day, volume, microdollars) VALUES (?, ?, ?, ?)")
            for row in unattachedVolumes {
                guard row.day >= from && row.day < to else { throw HistoryError("cost day \(row.day) is outside [\(from), \(to))") }
                try volume.execute(arguments: [cluster, row.day, row.volume, row.microdollars])
            }
            try db.execute(sql: "DELETE FROM pool_cost_daily WHERE cluster = ? AND day >= ? AND day < ?", arguments: [cluster, from, to])
            let ids = try Dictionary(Row.fetchAll(db, sql: "SELECT id, cluster, namespace, kind, workload, container FROM containers").map {
                (ContainerID(cluster: $0[1], namespace: $0[2], kind: WorkloadKind(rawValue: $0[3]), workload: $0[4], container: $0[5]), $0[0] as Int64)
            }, uniquingKeysWith: { first, _ in first })
            let insert = try db.makeStatement(sql: """
                INSERT INTO cost_daily (day, container_id, pool, cpu_microdollars, ram_microdollars, pv_microdollars) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for row in containers {
                guard row.day >= from && row.day < to else { throw HistoryError("cost day \(row.day) is outside [\(from), \(to))") }
                guard let id = ids[row.container] else { throw HistoryError("cost for unknown container \(row.container)") }
                guard row.container.workload.cluster == cluster else { throw HistoryError("cost of \(row.container) stored as cluster \(cluster)") }
                try insert.execute(arguments: [row.day, id, row.pool, row.cpuMicrodollars, row.ramMicrodollars, row.pvMicrodollars])
            }
            let pool = try db.makeStatement(sql: """
                INSERT INTO pool_cost_daily (cluster, day, pool, node_microdollars, idle_cpu_microdollars, idle_ram_microdollars, hours, node_hours)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for row in pools {
                guard row.day >= from && row.day < to else { throw HistoryError("cost day \(row.day) is outside [\(from), \(to))") }
                try pool.execute(arguments: [cluster, row.day, row.pool, row.nodeMicrodollars, row.idleCPUMicrodollars, row.idleRAMMicrodollars,
                                             row.hours, row.nodeHours])
            }
        }
    }

    /// Stored container costs of `[from, to)` (of one cluster when given).
    public func containerCosts(from: Int64, to: Int64, cluster: String? = nil) throws(HistoryError) -> [StoredContainerCost] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.day, c.cluster, c.namespace, c.kind, c.workload, c.container, d.pool, d.cpu_microdollars, d.ram_microdollars, d.pv_microdollars
                FROM cost_daily d JOIN containers c ON c.id = d.container_id WHERE d.day >= ?1 AND d.day < ?2 AND (?3 IS NULL OR c.cluster = ?3)
                ORDER BY d.day, c.id
                """, arguments: [from, to, cluster]).map {
                StoredContainerCost(day: $0[0], container: ContainerID(cluster: $0[1], namespace: $0[2], kind: WorkloadKind(rawValue: $0[3]), workload: $0[4], container: $0[5]),
                                    pool: $0[6], cpuMicrodollars: $0[7], ramMicrodollars: $0[8], pvMicrodollars: $0[9])
            }
        }
    }

    /// Stored pool costs of `[from, to)` (of one cluster when given).
    public func poolCosts(from: Int64, to: Int64, cluster: String? = nil) throws(HistoryError) -> [StoredPoolCost] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT day, pool, node_microdollars, idle_cpu_microdollars, idle_ram_microdollars, hours, node_hours FROM pool_cost_daily
                WHERE day >= ?1 AND day < ?2 AND (?3 IS NULL OR cluster = ?3) ORDER BY day, cluster, pool
                """, arguments: [from, to, cluster]).map {
                StoredPoolCost(day: $0[0], pool: $0[1], nodeMicrodollars: $0[2], idleCPUMicrodollars: $0[3], idleRAMMicrodollars: $0[4], hours: $0[5], nodeHours: $0[6])
            }
        }
    }

    /// Stored cost of volumes no workload mounts, per day and volume (of one cluster when given).
    public func unattachedVolumeCosts(from: Int64, to: Int64, cluster: String? = nil) throws(HistoryError) -> [StoredVolumeCost] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT day, volume, microdollars FROM unattached_volume_cost_daily WHERE day >= ?1 AND day < ?2 AND (?3 IS NULL OR cluster = ?3)
                ORDER BY day, cluster, volume
                """, arguments: [from, to, cluster]).map { StoredVolumeCost(day: $0[0], volume: $0[1], microdollars: $0[2]) }
        }
    }

    /// The first and last stored cost day (of one cluster when given).
    public func costDayRange(cluster: String? = nil) throws(HistoryError) -> ClosedRange<Int64>? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT min(day), max(day) FROM pool_cost_daily WHERE ?1 IS NULL OR cluster = ?1", arguments: [cluster]),
                  let first: Int64 = row[0], let last: Int64 = row[1] else { return nil }
            return first...last
        }
    }

    /// Records a reclamation plan and returns its id.
    @discardableResult
    public func recordReclaimPlan(createdAt: Int64, user: String, command: String, inputs: String, items: Int,
                                  monthlySavingMicrodollars: Int64, plan: String) throws(HistoryError) -> Int64 {
        try write { db in
            try db.execute(sql: """
                INSERT INTO reclaim_audit (created_at, user, command, inputs, items, monthly_saving_microdollars, plan)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [createdAt, user, command, inputs, items, monthlySavingMicrodollars, plan])
            return db.lastInsertedRowID
        }
    }

    public func reclaimPlans() throws(HistoryError) -> [ReclaimAuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, created_at, user, command, inputs, items, monthly_saving_microdollars FROM reclaim_audit ORDER BY id").map {
                ReclaimAuditEntry(id: $0[0], createdAt: $0[1], user: $0[2], command: $0[3], inputs: $0[4], items: $0[5], monthlySavingMicrodollars: $0[6])
            }
        }
    }

    /// The declared state per step over `[from, to)`: the latest inventory record at or before
    /// each step start (nil before the first).
    public func inventorySeries(_ container: ContainerID, from: Int64, to: Int64, step: Int64) throws(HistoryError) -> [InventoryRecord?] {
        let records: [InventoryRecord] = try read { db in
            guard let id = try Self.rowID(of: container, db: db) else { return [] }
            // Prepared once per connection: compiling it again for every container (GRDB's
            // authorizer visits each column) was 6 % of a steady cycle at 10,000 containers.
            return self.inventoryRecords(try Row.fetchAll(db.cachedStatement(sql: """
                SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, i.* FROM inventory i JOIN containers c ON c.id = i.container_id
                WHERE i.container_id = ? AND i.observed_at < ?
                  AND i.observed_at >= coalesce((SELECT max(observed_at) FROM inventory WHERE container_id = ? AND observed_at <= ?), 0)
                ORDER BY i.observed_at
                """), arguments: [id, to, id, from]))
        }
        return InventoryRecord.steps(records, from: from, to: to, step: step)
    }
}

extension InventoryRecord {
    /// The record in force at each step start of `[from, to)` (aligned down to `step`): the
    /// latest of `records` (sorted by time) at or before it, nil before the first.
    package static func steps(_ records: [InventoryRecord], from: Int64, to: Int64, step: Int64) -> [InventoryRecord?] {
        let first = from - ((from % step) + step) % step
        var values: [InventoryRecord?] = []
        var next = 0
        var current: InventoryRecord?
        var time = first
        while time < to {
            while next < records.count && records[next].observedAt <= time {
                current = records[next]
                next += 1
            }
            values.append(current)
            time += step
        }
        return values
    }
}
