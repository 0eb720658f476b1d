import GRDB
import HeadroomCore

extension HistoryStore {
    /// Writes a snapshot's cluster objects; storing the same snapshot again replaces it.
    static func store(_ objects: ClusterObjects, cluster: String, into db: Database) throws {
        let at = objects.observedAt
        for node in objects.nodes {
            try db.execute(sql: """
                INSERT OR REPLACE INTO nodes (observed_at, cluster, name, node_pool, zone, instance_type, cpu_allocatable_millicores,
                    memory_allocatable_bytes, cpu_capacity_millicores, memory_capacity_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [at, cluster, node.name, node.nodePool, node.zone, node.instanceType,
                                 node.allocatable.cpu?.millicores, node.allocatable.memory?.bytes,
                                 node.capacity.cpu?.millicores, node.capacity.memory?.bytes])
        }
        for quota in objects.quotas {
            try db.execute(sql: """
                INSERT OR REPLACE INTO resource_quotas (observed_at, cluster, namespace, name, resource, hard, used) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [at, cluster, quota.namespace, quota.name, quota.resource, quota.hard, quota.used])
        }
        for range in objects.limitRanges {
            try db.execute(sql: """
                INSERT OR REPLACE INTO limit_ranges (observed_at, cluster, namespace, name, type, resource, default_limit, default_request, min, max)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [at, cluster, range.namespace, range.name, range.type, range.resource, range.defaultLimit,
                                 range.defaultRequest, range.min, range.max])
        }
        for volume in objects.volumes {
            try db.execute(sql: """
                INSERT OR REPLACE INTO volumes (observed_at, cluster, name, storage_class, capacity_bytes, phase, claim_namespace, claim_name,
                    workload_namespace, workload_kind, workload_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [at, cluster, volume.name, volume.storageClass, volume.capacityBytes, volume.phase, volume.claimNamespace,
                                 volume.claimName, volume.workload?.namespace, volume.workload?.kind.rawValue, volume.workload?.name])
        }
        for vpa in objects.vpas {
            try db.execute(sql: """
                INSERT OR REPLACE INTO vpas (observed_at, cluster, namespace, name, target_kind, target_name, update_mode) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [at, cluster, vpa.namespace, vpa.name, vpa.targetKind, vpa.targetName, vpa.updateMode])
        }
    }

    /// The nodes of the latest snapshot of `cluster` (nil: of every cluster, each its latest).
    public func latestNodes(cluster: String? = nil) throws(HistoryError) -> [NodeRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM nodes n WHERE (?1 IS NULL OR n.cluster = ?1)
                  AND n.observed_at = (SELECT max(observed_at) FROM nodes WHERE cluster = n.cluster) ORDER BY n.cluster, n.name
                """, arguments: [cluster]).map(Self.node)
        }
    }

    /// Every node snapshot of `cluster` taken in `[from, to)`, and the last one before `from` (in
    /// force at its start), oldest first: the nodes a window's hours were paid for.
    public func nodeSnapshots(cluster: String, from: Int64, to: Int64) throws(HistoryError) -> [(observedAt: Int64, nodes: [NodeRecord])] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM nodes WHERE cluster = ?1 AND observed_at < ?3
                  AND observed_at >= coalesce((SELECT max(observed_at) FROM nodes WHERE cluster = ?1 AND observed_at <= ?2), ?2)
                ORDER BY observed_at, name
                """, arguments: [cluster, from, to])
            var snapshots: [(observedAt: Int64, nodes: [NodeRecord])] = []
            for row in rows {
                let at: Int64 = row["observed_at"]
                if snapshots.last?.observedAt != at { snapshots.append((at, [])) }
                snapshots[snapshots.count - 1].nodes.append(Self.node(row))
            }
            return snapshots
        }
    }

    static func node(_ row: Row) -> NodeRecord {
        let cpuAllocatable: Int64? = row["cpu_allocatable_millicores"]
        let memoryAllocatable: Int64? = row["memory_allocatable_bytes"]
        let cpuCapacity: Int64? = row["cpu_capacity_millicores"]
        let memoryCapacity: Int64? = row["memory_capacity_bytes"]
        return NodeRecord(
            name: row["name"], nodePool: row["node_pool"], zone: row["zone"], instanceType: row["instance_type"],
            allocatable: ResourceAmounts(cpu: cpuAllocatable.map(CPUQuantity.init(millicores:)), memory: memoryAllocatable.map(MemoryQuantity.init(bytes:))),
            capacity: ResourceAmounts(cpu: cpuCapacity.map(CPUQuantity.init(millicores:)), memory: memoryCapacity.map(MemoryQuantity.init(bytes:))))
    }

    /// The PersistentVolumes of the latest snapshot of `cluster` (nil: of every cluster, each its latest).
    public func latestVolumes(cluster: String? = nil) throws(HistoryError) -> [VolumeRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM volumes v WHERE (?1 IS NULL OR v.cluster = ?1)
                  AND v.observed_at = (SELECT max(observed_at) FROM volumes WHERE cluster = v.cluster) ORDER BY v.cluster, v.name
                """, arguments: [cluster]).map { row in
                let kind: String? = row["workload_kind"], name: String? = row["workload_name"], namespace: String? = row["workload_namespace"]
                let cluster: String = row["cluster"]
                return VolumeRecord(
                    name: row["name"], storageClass: row["storage_class"], capacityBytes: row["capacity_bytes"], phase: row["phase"],
                    claimNamespace: row["claim_namespace"], claimName: row["claim_name"],
                    workload: kind.flatMap { kind in name.flatMap { name in namespace.map { WorkloadID(cluster: cluster, namespace: $0, kind: WorkloadKind(rawValue: kind), name: name) } } })
            }
        }
    }

    /// Quota lines of the latest snapshot of `cluster` (nil: of every cluster, each its latest).
    public func latestQuotas(cluster: String? = nil) throws(HistoryError) -> [ResourceQuotaRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM resource_quotas q WHERE (?1 IS NULL OR q.cluster = ?1)
                  AND q.observed_at = (SELECT max(observed_at) FROM resource_quotas WHERE cluster = q.cluster)
                ORDER BY q.cluster, q.namespace, q.name, q.resource
                """, arguments: [cluster]).map {
                ResourceQuotaRecord(namespace: $0["namespace"], name: $0["name"], resource: $0["resource"], hard: $0["hard"], used: $0["used"])
            }
        }
    }
}
