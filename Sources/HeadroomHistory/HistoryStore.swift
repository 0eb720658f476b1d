import Foundation
import GRDB
import HeadroomCore
import Synchronization

/// Headroom's history: usage buckets, inventory, container events and collection watermarks in
/// one SQLite file (WAL mode, so readers never wait for the collector).
///
/// Every write is one transaction: an ingest or a retention pass is either fully stored or not
/// at all, including when the process is killed midway.
public final class HistoryStore: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    /// Problems found while reading rows that did not stop the read (see `takeWarnings()`).
    private let warnings = Mutex<[String]>([])

    func warn(_ text: String) { warnings.withLock { $0.append(text) } }

    /// The warnings gathered since the last call, each naming the row it is about; callers show them.
    public func takeWarnings() -> [String] {
        warnings.withLock { list in
            defer { list.removeAll() }
            return Array(NSOrderedSet(array: list)) as? [String] ?? list
        }
    }

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws(HistoryError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            throw HistoryError("cannot open history store \(path): directory \(directory) does not exist")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL + NORMAL is crash-safe for the application (a killed process loses nothing
            // committed); only a power loss can drop the last transactions.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw HistoryError("cannot open history store \(path): \(Self.describe(error))")
        }
    }

    /// The journal mode SQLite reports (`wal` for a store opened here).
    public func journalMode() throws(HistoryError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Result of `PRAGMA integrity_check`: `ok` for a sound file.
    public func integrityCheck() throws(HistoryError) -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try pool.read(body)
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError("history store \(path): \(Self.describe(error))")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try pool.write(body)
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError("history store \(path): \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? error.description }
        return String(describing: error)
    }
}
