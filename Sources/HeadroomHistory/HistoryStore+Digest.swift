import GRDB
import HeadroomCore

/// Row count and content digest of one table.
public struct TableDigest: Hashable, Sendable, Codable {
    public var table: String
    public var rows: Int
    /// FNV-1a 64 over every row, ordered by all columns, as hex.
    public var digest: String
}

extension HistoryStore {
    /// The tables whose content makes up the history.
    public static let contentTables = ["containers", "usage_5m", "usage_1h", "inventory", "events", "watermarks", "store_state",
                                       "nodes", "resource_quotas", "limit_ranges", "vpas", "cost_daily", "pool_cost_daily", "reclaim_audit", "volumes", "unattached_volume_cost_daily"]

    /// Row counts and content digests of every history table: two stores with equal digests hold
    /// the same data. Used to prove that a failed import changed nothing.
    public func contentDigests() throws(HistoryError) -> [TableDigest] {
        try read { db in
            try Self.contentTables.map { table in
                var hash = FNV1a()
                var rows = 0
                let order = (1...(try db.columns(in: table).count)).map(String.init).joined(separator: ", ")
                let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY \(order)")
                while let row = try cursor.next() {
                    rows += 1
                    for value in row.databaseValues { hash.add("\(value)|".utf8) }
                    hash.add(CollectionOfOne(0x0a))
                }
                return TableDigest(table: table, rows: rows, digest: String(hash.value, radix: 16))
            }
        }
    }
}
