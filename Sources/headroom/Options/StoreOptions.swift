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

    /// The SQLite store (the commands that read it through the Engine). A PostgreSQL URL is
    /// refused with what it serves so far.
    func open() throws -> HistoryStore {
        try refusePostgres()
        return try HistoryStore(path: path)
    }

    /// Opens an existing store; reading commands should not create an empty one by accident.
    func openExisting() throws -> HistoryStore {
        try refusePostgres()
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no history store at \(path): run 'headroom import' first, or pass --db")
        }
        return try HistoryStore(path: path)
    }

    /// The store on either backend, for the commands both serve (collect, import, db collections, db retain).
    func openBackend(existing: Bool = false) async throws -> any HistoryBackend {
        guard isPostgres else { return try existing ? openExisting() : open() }
        let passwordFile = dbPasswordFile
            ?? ProcessInfo.processInfo.environment["HEADROOM_DB_PASSWORD_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let location: PostgresLocation
        do { location = try PostgresLocation(url: path, passwordFile: passwordFile) } catch { throw ValidationError(error.message) }
        return try await PostgresHistoryStore.open(location)
    }

    private func refusePostgres() throws {
        if isPostgres {
            throw ValidationError("""
                this command reads the SQLite store only, so far: a PostgreSQL --db serves 'collect', 'import', 'db stats', \
                'db collections' and 'db retain' (the Engine's reads move to PostgreSQL next)
                """)
        }
    }
}
