import ArgumentParser
import Foundation
import HeadroomHistory
import HeadroomHistoryPostgres

/// `--db PATH|URL`: the history store, shared by every command that reads or writes history: a
/// SQLite file (the default, one cluster) or a shared PostgreSQL (`postgres://USER@HOST:PORT/DB`,
/// the password from `--db-password-file`).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "History store: a SQLite file, or postgres://USER@HOST[:PORT]/DATABASE[?sslmode=…] for a shared PostgreSQL. Default: $HEADROOM_DB or ./headroom.sqlite.",
        valueName: "path|url"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "File whose first line is the PostgreSQL password (never on the command line). Default: $HEADROOM_DB_PASSWORD_FILE.", valueName: "file"))
    var dbPasswordFile: String?

    init() {}

    init(db: String?) { self.db = db }

    var path: String {
        db ?? ProcessInfo.processInfo.environment["HEADROOM_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "headroom.sqlite"
    }

    /// `--db` names a PostgreSQL server rather than a file.
    var isPostgres: Bool { path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") }

    /// The SQLite file itself, for what only it has (`db stats`' digests and integrity check).
    func openSQLite(existing: Bool) throws -> HistoryStore {
        if existing && !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no history store at \(path): run 'headroom import' first, or pass --db")
        }
        return try HistoryStore(path: path)
    }

    /// The store on its backend: every command reads and writes it through this. `existing`:
    /// a reading command must not create an empty SQLite file by accident.
    func openBackend(existing: Bool = false) async throws -> any HistoryBackend {
        guard isPostgres else { return try openSQLite(existing: existing) }
        let passwordFile = dbPasswordFile
            ?? ProcessInfo.processInfo.environment["HEADROOM_DB_PASSWORD_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let location: PostgresLocation
        do { location = try PostgresLocation(url: path, passwordFile: passwordFile) } catch { throw ValidationError(error.message) }
        let store = try await PostgresHistoryStore.open(location)
        OpenedStores.register(store)
        return store
    }
}
