import GRDB
import HeadroomCore

/// Maps container identities to their row ids within one transaction, creating rows on first use.
struct ContainerRegistry {
    private var ids: [ContainerID: Int64] = [:]
    private(set) var created = 0
    /// Batches come grouped by container: remembering the last one skips hashing five strings per row.
    private var last: (container: ContainerID, id: Int64)?

    init(db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT id, cluster, namespace, kind, workload, container FROM containers")
        while let row = try rows.next() {
            ids[Self.containerID(row)] = row["id"]
        }
    }

    mutating func id(for container: ContainerID, db: Database) throws -> Int64 {
        if let last, last.container == container { return last.id }
        let id = try lookUpOrCreate(container, db: db)
        last = (container, id)
        return id
    }

    private mutating func lookUpOrCreate(_ container: ContainerID, db: Database) throws -> Int64 {
        if let id = ids[container] { return id }
        try db.execute(sql: """
            INSERT INTO containers (cluster, namespace, kind, workload, container) VALUES (?, ?, ?, ?, ?)
            """, arguments: [container.workload.cluster, container.workload.namespace,
                             container.workload.kind.rawValue, container.workload.name, container.container])
        let id = db.lastInsertedRowID
        ids[container] = id
        created += 1
        return id
    }

    static func containerID(_ row: Row) -> ContainerID {
        ContainerID(cluster: row["cluster"], namespace: row["namespace"], kind: WorkloadKind(rawValue: row["kind"]),
                    workload: row["workload"], container: row["container"])
    }
}
