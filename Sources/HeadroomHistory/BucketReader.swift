import GRDB
import GRDBSQLite
import HeadroomCore

/// Reads one container's stored buckets through a cached statement and SQLite's column
/// functions: the forecasting and allocation reads fetch millions of rows a cycle, and building
/// a GRDB `Row` per bucket cost more than SQLite's own work.
enum BucketReader {
    static func read(_ db: Database, table: String, containerID: Int64, resource: Int, from: Int64, to: Int64) throws -> [BucketStats] {
        let statement = try db.cachedStatement(sql: """
            SELECT bucket_start, samples, mean, max, first_ms, last_ms FROM \(table)
            WHERE container_id = ? AND resource = ? AND bucket_start >= ? AND bucket_start < ?
            ORDER BY bucket_start
            """)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, containerID)
        sqlite3_bind_int64(handle, 2, Int64(resource))
        sqlite3_bind_int64(handle, 3, from)
        sqlite3_bind_int64(handle, 4, to)
        defer { sqlite3_reset(handle) }
        var buckets: [BucketStats] = []
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            // Every column is NOT NULL (the usage tables' schema).
            buckets.append(BucketStats(start: sqlite3_column_int64(handle, 0), count: Int(sqlite3_column_int64(handle, 1)),
                                       mean: sqlite3_column_double(handle, 2), max: sqlite3_column_double(handle, 3),
                                       firstSampleMillis: sqlite3_column_int64(handle, 4), lastSampleMillis: sqlite3_column_int64(handle, 5)))
        }
        return buckets
    }
}

extension HistoryStore {
    /// Each hour's mean of the stored 5-minute means of one container and resource over
    /// `hours` hours from `from` (nil for an hour without any), averaged by SQLite: twelve
    /// times fewer rows cross into Swift than reading the buckets. What the weekly report's
    /// allocation reads.
    public func hourlyMeans(_ container: ContainerID, resource: ResourceKind, from: Int64, hours: Int) throws(HistoryError) -> [Double?] {
        try read { db in
            var values = [Double?](repeating: nil, count: hours)
            guard hours > 0, let id = try Self.rowID(of: container, db: db) else { return values }
            let statement = try db.cachedStatement(sql: """
                SELECT (bucket_start - ?3) / 3600, avg(mean) FROM usage_5m
                WHERE container_id = ?1 AND resource = ?2 AND bucket_start >= ?3 AND bucket_start < ?4
                GROUP BY (bucket_start - ?3) / 3600
                """)
            let handle = statement.sqliteStatement
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, id)
            sqlite3_bind_int64(handle, 2, Int64(resource.code))
            sqlite3_bind_int64(handle, 3, from)
            sqlite3_bind_int64(handle, 4, from + Int64(hours) * 3600)
            defer { sqlite3_reset(handle) }
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
                }
                let hour = Int(sqlite3_column_int64(handle, 0))
                if hour >= 0 && hour < hours { values[hour] = sqlite3_column_double(handle, 1) }
            }
            return values
        }
    }
}
