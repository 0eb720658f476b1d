import HeadroomCore
import HeadroomHistory
import Logging
import PostgresNIO

/// The row ids of the containers one ingest mentions, created on first use. Only those
/// containers are looked up (a fleet store holds a million); two replicas that create the same
/// container at once both end up with the one row (`ON CONFLICT DO NOTHING`, then a read).
struct PostgresContainerRegistry {
    private var ids: [ContainerID: Int64] = [:]
    /// The ids of the containers this ingest created: none of their buckets can be stored yet.
    private(set) var createdIDs = Set<Int64>()
    var created: Int { createdIDs.count }
    /// Every id `resolve` was given, in its order.
    var allIDs: [Int64] { Array(ids.values) }

    /// The id of a container `resolve` was given.
    subscript(container: ContainerID) -> Int64 { ids[container] ?? -1 }

    static func resolve(_ containers: [ContainerID], connection: PostgresConnection, logger: Logger) async throws -> PostgresContainerRegistry {
        var registry = PostgresContainerRegistry()
        guard !containers.isEmpty else { return registry }
        let clusters = containers.map(\.workload.cluster), namespaces = containers.map(\.workload.namespace)
        let kinds = containers.map(\.workload.kind.rawValue), workloads = containers.map(\.workload.name)
        let names = containers.map(\.container)
        let inserted = try await connection.query("""
            INSERT INTO containers (cluster, namespace, kind, workload, container)
            SELECT * FROM unnest(\(clusters)::text[], \(namespaces)::text[], \(kinds)::text[], \(workloads)::text[], \(names)::text[])
            ON CONFLICT DO NOTHING RETURNING id
            """, logger: logger)
        for try await id in inserted.decode(Int64.self) { registry.createdIDs.insert(id) }
        registry.ids = try await existingIDs(of: containers, connection: connection, logger: logger)
        if let missing = containers.first(where: { registry.ids[$0] == nil }) {
            throw HistoryError("container \(missing) was not stored")
        }
        return registry
    }

    /// The row ids of containers already stored (none created), through the unique index.
    static func existingIDs(of containers: [ContainerID], connection: PostgresConnection, logger: Logger) async throws -> [ContainerID: Int64] {
        guard !containers.isEmpty else { return [:] }
        let rows = try await connection.query("""
            SELECT c.id, c.cluster, c.namespace, c.kind, c.workload, c.container FROM containers c
            JOIN unnest(\(containers.map(\.workload.cluster))::text[], \(containers.map(\.workload.namespace))::text[],
                        \(containers.map(\.workload.kind.rawValue))::text[], \(containers.map(\.workload.name))::text[],
                        \(containers.map(\.container))::text[]) AS k(cluster, namespace, kind, workload, container)
              ON c.cluster = k.cluster AND c.namespace = k.namespace AND c.kind = k.kind AND c.workload = k.workload AND c.container = k.container
            """, logger: logger)
        var ids: [ContainerID: Int64] = [:]
        for try await (id, cluster, namespace, kind, workload, container) in rows.decode((Int64, String, String, String, String, String).self) {
            ids[ContainerID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: kind), workload: workload, container: container)] = id
        }
        return ids
    }
}
