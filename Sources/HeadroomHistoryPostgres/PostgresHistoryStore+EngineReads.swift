import HeadroomCore
import HeadroomHistory
import PostgresNIO

/// The reads the Engine makes besides buckets: cluster-object snapshots, declared state per
/// step and hourly means, as the SQLite store answers them.
extension PostgresHistoryStore {
    /// Every node snapshot of `cluster` taken in `[from, to)` and the last one before `from`, oldest first.
    public func nodeSnapshots(cluster: String, from: Int64, to: Int64) async throws(HistoryError) -> [(observedAt: Int64, nodes: [NodeRecord])] {
        let rows = try await rows("read the node snapshots of \(cluster)", """
            SELECT observed_at, name, node_pool, zone, instance_type, cpu_allocatable_millicores, memory_allocatable_bytes,
                   cpu_capacity_millicores, memory_capacity_bytes
            FROM nodes WHERE cluster = \(cluster) AND observed_at < \(to)
              AND observed_at >= coalesce((SELECT max(observed_at) FROM nodes WHERE cluster = \(cluster) AND observed_at <= \(from)), \(from))
            """) { row -> (Int64, NodeRecord) in
            let (at, name, pool, zone, type, cpuAllocatable, memoryAllocatable, cpuCapacity, memoryCapacity)
                = try row.decode((Int64, String, String?, String?, String?, Int64?, Int64?, Int64?, Int64?).self)
            return (at, Self.node(name, pool, zone, type, cpuAllocatable, memoryAllocatable, cpuCapacity, memoryCapacity))
        }.sorted { ($0.0, $0.1.name) < ($1.0, $1.1.name) }
        var snapshots: [(observedAt: Int64, nodes: [NodeRecord])] = []
        for (at, node) in rows {
            if snapshots.last?.observedAt != at { snapshots.append((at, [])) }
            snapshots[snapshots.count - 1].nodes.append(node)
        }
        return snapshots
    }

    static func node(_ name: String, _ pool: String?, _ zone: String?, _ type: String?, _ cpuAllocatable: Int64?, _ memoryAllocatable: Int64?,
                     _ cpuCapacity: Int64?, _ memoryCapacity: Int64?) -> NodeRecord {
        NodeRecord(name: name, nodePool: pool, zone: zone, instanceType: type,
                   allocatable: ResourceAmounts(cpu: cpuAllocatable.map(CPUQuantity.init(millicores:)), memory: memoryAllocatable.map(MemoryQuantity.init(bytes:))),
                   capacity: ResourceAmounts(cpu: cpuCapacity.map(CPUQuantity.init(millicores:)), memory: memoryCapacity.map(MemoryQuantity.init(bytes:))))
    }

    /// The PersistentVolumes of the latest snapshot of `cluster` (nil: of every cluster, each its latest).
    public func latestVolumes(cluster: String? = nil) async throws(HistoryError) -> [VolumeRecord] {
        try await rows("read the volumes", """
            SELECT v.cluster, v.name, v.storage_class, v.capacity_bytes, v.phase, v.claim_namespace, v.claim_name,
                   v.workload_namespace, v.workload_kind, v.workload_name
            FROM volumes v WHERE (\(cluster)::text IS NULL OR v.cluster = \(cluster))
              AND v.observed_at = (SELECT max(observed_at) FROM volumes WHERE cluster = v.cluster)
            """) { row -> (String, VolumeRecord) in
            let (cluster, name, storageClass, capacity, phase, claimNamespace, claimName, namespace, kind, workload)
                = try row.decode((String, String, String?, Int64, String, String?, String?, String?, String?, String?).self)
            let owner = kind.flatMap { kind in workload.flatMap { workload in namespace.map {
                WorkloadID(cluster: cluster, namespace: $0, kind: WorkloadKind(rawValue: kind), name: workload)
            } } }
            return (cluster, VolumeRecord(name: name, storageClass: storageClass, capacityBytes: capacity, phase: phase,
                                          claimNamespace: claimNamespace, claimName: claimName, workload: owner))
        }.sorted { ($0.0, $0.1.name) < ($1.0, $1.1.name) }.map(\.1)
    }

    /// Quota lines of the latest snapshot of `cluster` (nil: of every cluster, each its latest).
    public func latestQuotas(cluster: String? = nil) async throws(HistoryError) -> [ResourceQuotaRecord] {
        try await rows("read the quotas", """
            SELECT q.cluster, q.namespace, q.name, q.resource, q.hard, q.used
            FROM resource_quotas q WHERE (\(cluster)::text IS NULL OR q.cluster = \(cluster))
              AND q.observed_at = (SELECT max(observed_at) FROM resource_quotas WHERE cluster = q.cluster)
            """) { row -> (String, ResourceQuotaRecord) in
            let (cluster, namespace, name, resource, hard, used) = try row.decode((String, String, String, String, String, String?).self)
            return (cluster, ResourceQuotaRecord(namespace: namespace, name: name, resource: resource, hard: hard, used: used))
        }.sorted { ($0.0, $0.1.namespace, $0.1.name, $0.1.resource) < ($1.0, $1.1.namespace, $1.1.name, $1.1.resource) }.map(\.1)
    }

    /// The declared state per step over `[from, to)`: the latest inventory record at or before each step start.
    public func inventorySeries(_ container: ContainerID, from: Int64, to: Int64, step: Int64) async throws(HistoryError) -> [InventoryRecord?] {
        let workload = container.workload
        let records = try await rows("read the inventory of \(container)", """
            WITH k AS (SELECT id FROM containers WHERE cluster = \(workload.cluster) AND namespace = \(workload.namespace)
                         AND kind = \(workload.kind.rawValue) AND workload = \(workload.name) AND container = \(container.container))
            SELECT c.cluster, c.namespace, c.kind, c.workload, c.container, i.observed_at, i.cpu_request_millicores, i.memory_request_bytes,
                   i.cpu_limit_millicores, i.memory_limit_bytes, i.replicas, i.node_pool, i.zone, i.hpa_min_replicas, i.hpa_max_replicas,
                   i.hpa_target_cpu_percent, i.hpa_target_memory_percent, i.annotations, i.labels
            FROM inventory i JOIN containers c ON c.id = i.container_id
            WHERE i.container_id = (SELECT id FROM k) AND i.observed_at < \(to)
              AND i.observed_at >= coalesce((SELECT max(observed_at) FROM inventory WHERE container_id = (SELECT id FROM k)
                                                AND observed_at <= \(from)), 0)
            ORDER BY i.observed_at
            """) { row in try Self.inventoryRecord(row) }
        return InventoryRecord.steps(records, from: from, to: to, step: step)
    }

    /// Each hour's mean of the stored 5-minute means of one container and resource (nil for an hour without any).
    public func hourlyMeans(_ container: ContainerID, resource: ResourceKind, from: Int64, hours: Int) async throws(HistoryError) -> [Double?] {
        var values = [Double?](repeating: nil, count: max(0, hours))
        guard hours > 0 else { return values }
        let workload = container.workload
        let rows = try await rows("read the hourly means of \(container)", """
            SELECT (u.bucket_start - \(from)) / 3600 AS hour, avg(u.mean)
            FROM usage_5m u JOIN containers c ON c.id = u.container_id
            WHERE c.cluster = \(workload.cluster) AND c.namespace = \(workload.namespace) AND c.kind = \(workload.kind.rawValue)
              AND c.workload = \(workload.name) AND c.container = \(container.container)
              AND u.resource = \(Int64(resource.code)) AND u.bucket_start >= \(from) AND u.bucket_start < \(from + Int64(hours) * 3600)
            GROUP BY hour
            """) { row in try row.decode((Int64, Double).self) }
        for (hour, mean) in rows where hour >= 0 && hour < Int64(hours) { values[Int(hour)] = mean }
        return values
    }
}
