import HeadroomCore
import HeadroomHistory
import PostgresNIO

extension PostgresHistoryStore {
    /// Replaces every stored day of `cluster` in `[from, to)` with these rows, in one transaction
    /// (`HistoryStore.replaceDailyCosts`): re-running an allocation leaves one row per day and
    /// container (or pool), and other clusters' days are not touched.
    public func replaceDailyCosts(cluster: String, from: Int64, to: Int64, containers: [StoredContainerCost], pools: [StoredPoolCost],
                                  unattachedVolumes: [StoredVolumeCost] = []) async throws(HistoryError) {
        for day in containers.map(\.day) + pools.map(\.day) + unattachedVolumes.map(\.day) where day < from || day >= to {
            throw HistoryError("cost day \(day) is outside [\(from), \(to))")
        }
        if let stranger = containers.first(where: { $0.container.workload.cluster != cluster }) {
            throw HistoryError("cost of \(stranger.container) stored as cluster \(cluster)")
        }
        let logger = self.logger
        try await transaction("replace the daily costs of \(cluster)") { connection in
            try await connection.query("""
                DELETE FROM cost_daily WHERE day >= \(from) AND day < \(to) AND container_id IN (SELECT id FROM containers WHERE cluster = \(cluster))
                """, logger: logger)
            try await connection.query("DELETE FROM unattached_volume_cost_daily WHERE cluster = \(cluster) AND day >= \(from) AND day < \(to)",
                                       logger: logger)
            try await connection.query("DELETE FROM pool_cost_daily WHERE cluster = \(cluster) AND day >= \(from) AND day < \(to)", logger: logger)
            for row in unattachedVolumes {
                try await connection.query("""
                    INSERT INTO unattached_volume_cost_daily (cluster, day, volume, microdollars)
                    VALUES (\(cluster), \(row.day), \(row.volume), \(row.microdollars))
                    """, logger: logger)
            }
            let ids = try await PostgresContainerRegistry.existingIDs(of: Array(Set(containers.map(\.container))), connection: connection, logger: logger)
            if let unknown = containers.first(where: { ids[$0.container] == nil }) {
                throw HistoryError("cost for unknown container \(unknown.container)")
            }
            try await connection.copyRows(into: "cost_daily", columns: ["day", "container_id", "pool", "cpu_microdollars", "ram_microdollars",
                                                                        "pv_microdollars"], rows: containers, logger: logger) { encoder, row in
                encoder.add(row.day)
                encoder.add(ids[row.container])
                encoder.add(row.pool)
                encoder.add(row.cpuMicrodollars)
                encoder.add(row.ramMicrodollars)
                encoder.add(row.pvMicrodollars)
            }
            for row in pools {
                try await connection.query("""
                    INSERT INTO pool_cost_daily (cluster, day, pool, node_microdollars, idle_cpu_microdollars, idle_ram_microdollars, hours, node_hours)
                    VALUES (\(cluster), \(row.day), \(row.pool), \(row.nodeMicrodollars), \(row.idleCPUMicrodollars), \(row.idleRAMMicrodollars),
                            \(Int64(row.hours)), \(Int64(row.nodeHours)))
                    """, logger: logger)
            }
        }
    }

    public func containerCosts(from: Int64, to: Int64, cluster: String? = nil) async throws(HistoryError) -> [StoredContainerCost] {
        try await rows("read the container costs", """
            SELECT d.day, c.cluster, c.namespace, c.kind, c.workload, c.container, d.pool, d.cpu_microdollars, d.ram_microdollars, d.pv_microdollars
            FROM cost_daily d JOIN containers c ON c.id = d.container_id
            WHERE d.day >= \(from) AND d.day < \(to) AND (\(cluster)::text IS NULL OR c.cluster = \(cluster))
            ORDER BY d.day, c.id
            """) { row in
            let (day, cluster, namespace, kind, workload, container, pool, cpu, ram, pv)
                = try row.decode((Int64, String, String, String, String, String, String?, Int64, Int64, Int64).self)
            return StoredContainerCost(day: day, container: ContainerID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: kind),
                                                                        workload: workload, container: container),
                                       pool: pool, cpuMicrodollars: cpu, ramMicrodollars: ram, pvMicrodollars: pv)
        }
    }

    /// Stored pool costs, by day, cluster and pool (names in byte order, as SQLite sorts them).
    public func poolCosts(from: Int64, to: Int64, cluster: String? = nil) async throws(HistoryError) -> [StoredPoolCost] {
        try await rows("read the pool costs", """
            SELECT day, cluster, pool, node_microdollars, idle_cpu_microdollars, idle_ram_microdollars, hours, node_hours FROM pool_cost_daily
            WHERE day >= \(from) AND day < \(to) AND (\(cluster)::text IS NULL OR cluster = \(cluster))
            """) { row -> (String, StoredPoolCost) in
            let (day, cluster, pool, node, idleCPU, idleRAM, hours, nodeHours)
                = try row.decode((Int64, String, String, Int64, Int64, Int64, Int64, Int64).self)
            return (cluster, StoredPoolCost(day: day, pool: pool, nodeMicrodollars: node, idleCPUMicrodollars: idleCPU, idleRAMMicrodollars: idleRAM,
                                            hours: Int(hours), nodeHours: Int(nodeHours)))
        }.sorted { ($0.1.day, $0.0, $0.1.pool) < ($1.1.day, $1.0, $1.1.pool) }.map(\.1)
    }

    public func unattachedVolumeCosts(from: Int64, to: Int64, cluster: String? = nil) async throws(HistoryError) -> [StoredVolumeCost] {
        try await rows("read the unattached volume costs", """
            SELECT day, cluster, volume, microdollars FROM unattached_volume_cost_daily
            WHERE day >= \(from) AND day < \(to) AND (\(cluster)::text IS NULL OR cluster = \(cluster))
            """) { row -> (String, StoredVolumeCost) in
            let (day, cluster, volume, microdollars) = try row.decode((Int64, String, String, Int64).self)
            return (cluster, StoredVolumeCost(day: day, volume: volume, microdollars: microdollars))
        }.sorted { ($0.1.day, $0.0, $0.1.volume) < ($1.1.day, $1.0, $1.1.volume) }.map(\.1)
    }

    public func costDayRange(cluster: String? = nil) async throws(HistoryError) -> ClosedRange<Int64>? {
        let bounds = try await rows("read the cost day range", """
            SELECT min(day), max(day) FROM pool_cost_daily WHERE \(cluster)::text IS NULL OR cluster = \(cluster)
            """) { row in try row.decode((Int64?, Int64?).self) }
        guard let first = bounds.first, let low = first.0, let high = first.1 else { return nil }
        return low...high
    }

    @discardableResult
    public func recordReclaimPlan(createdAt: Int64, user: String, command: String, inputs: String, items: Int,
                                  monthlySavingMicrodollars: Int64, plan: String) async throws(HistoryError) -> Int64 {
        let ids = try await collect("record the reclamation plan", """
            INSERT INTO reclaim_audit (created_at, "user", command, inputs, items, monthly_saving_microdollars, plan)
            VALUES (\(createdAt), \(user), \(command), \(inputs), \(Int64(items)), \(monthlySavingMicrodollars), \(plan)) RETURNING id
            """, as: Int64.self)
        guard let id = ids.first else { throw HistoryError("history store \(location): the reclamation plan got no id") }
        return id
    }

    public func reclaimPlans() async throws(HistoryError) -> [ReclaimAuditEntry] {
        try await rows("read the reclamation plans", """
            SELECT id, created_at, "user", command, inputs, items, monthly_saving_microdollars FROM reclaim_audit ORDER BY id
            """) { row in
            let (id, createdAt, user, command, inputs, items, saving) = try row.decode((Int64, Int64, String, String, String, Int64, Int64).self)
            return ReclaimAuditEntry(id: id, createdAt: createdAt, user: user, command: command, inputs: inputs, items: Int(items),
                                     monthlySavingMicrodollars: saving)
        }
    }
}
