import HeadroomCore
import Logging
import PostgresNIO

/// Writes a snapshot's cluster objects (nodes, quotas, limit ranges, volumes, VPAs); storing the
/// same snapshot again replaces its rows, as `INSERT OR REPLACE` does in the SQLite store.
struct PostgresClusterObjects {
    let connection: PostgresConnection
    let logger: Logger

    func store(_ objects: ClusterObjects, cluster: String) async throws {
        let at = objects.observedAt
        for node in objects.nodes {
            try await connection.query("""
                INSERT INTO nodes (observed_at, cluster, name, node_pool, zone, instance_type, cpu_allocatable_millicores,
                    memory_allocatable_bytes, cpu_capacity_millicores, memory_capacity_bytes)
                VALUES (\(at), \(cluster), \(node.name), \(node.nodePool), \(node.zone), \(node.instanceType),
                    \(node.allocatable.cpu?.millicores), \(node.allocatable.memory?.bytes), \(node.capacity.cpu?.millicores), \(node.capacity.memory?.bytes))
                ON CONFLICT (cluster, observed_at, name) DO UPDATE SET node_pool = excluded.node_pool, zone = excluded.zone,
                    instance_type = excluded.instance_type, cpu_allocatable_millicores = excluded.cpu_allocatable_millicores,
                    memory_allocatable_bytes = excluded.memory_allocatable_bytes, cpu_capacity_millicores = excluded.cpu_capacity_millicores,
                    memory_capacity_bytes = excluded.memory_capacity_bytes
                """, logger: logger)
        }
        for quota in objects.quotas {
            try await connection.query("""
                INSERT INTO resource_quotas (observed_at, cluster, namespace, name, resource, hard, used)
                VALUES (\(at), \(cluster), \(quota.namespace), \(quota.name), \(quota.resource), \(quota.hard), \(quota.used))
                ON CONFLICT (cluster, observed_at, namespace, name, resource) DO UPDATE SET hard = excluded.hard, used = excluded.used
                """, logger: logger)
        }
        for range in objects.limitRanges {
            try await connection.query("""
                INSERT INTO limit_ranges (observed_at, cluster, namespace, name, type, resource, default_limit, default_request, min, max)
                VALUES (\(at), \(cluster), \(range.namespace), \(range.name), \(range.type), \(range.resource), \(range.defaultLimit),
                    \(range.defaultRequest), \(range.min), \(range.max))
                ON CONFLICT (cluster, observed_at, namespace, name, type, resource) DO UPDATE SET default_limit = excluded.default_limit,
                    default_request = excluded.default_request, min = excluded.min, max = excluded.max
                """, logger: logger)
        }
        for volume in objects.volumes {
            try await connection.query("""
                INSERT INTO volumes (observed_at, cluster, name, storage_class, capacity_bytes, phase, claim_namespace, claim_name,
                    workload_namespace, workload_kind, workload_name)
                VALUES (\(at), \(cluster), \(volume.name), \(volume.storageClass), \(volume.capacityBytes), \(volume.phase),
                    \(volume.claimNamespace), \(volume.claimName), \(volume.workload?.namespace), \(volume.workload?.kind.rawValue), \(volume.workload?.name))
                ON CONFLICT (cluster, observed_at, name) DO UPDATE SET storage_class = excluded.storage_class,
                    capacity_bytes = excluded.capacity_bytes, phase = excluded.phase, claim_namespace = excluded.claim_namespace,
                    claim_name = excluded.claim_name, workload_namespace = excluded.workload_namespace,
                    workload_kind = excluded.workload_kind, workload_name = excluded.workload_name
                """, logger: logger)
        }
        for vpa in objects.vpas {
            try await connection.query("""
                INSERT INTO vpas (observed_at, cluster, namespace, name, target_kind, target_name, update_mode)
                VALUES (\(at), \(cluster), \(vpa.namespace), \(vpa.name), \(vpa.targetKind), \(vpa.targetName), \(vpa.updateMode))
                ON CONFLICT (cluster, observed_at, namespace, name) DO UPDATE SET target_kind = excluded.target_kind,
                    target_name = excluded.target_name, update_mode = excluded.update_mode
                """, logger: logger)
        }
    }
}
