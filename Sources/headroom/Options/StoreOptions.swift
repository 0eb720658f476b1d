import ArgumentParser
import Foundation
import HeadroomHistory

/// `--db PATH`: the history store, shared by every command that reads or writes history.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("History store (SQLite file). Default: $HEADROOM_DB or ./headroom.sqlite.", valueName: "path"))
    var db: String?

    init() {}

    init(db: String?) { self.db = db }

    var path: String {
        db ?? ProcessInfo.processInfo.environment["HEADROOM_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "headroom.sqlite"
    }

    func open() throws -> HistoryStore {
        try HistoryStore(path: path)
    }

    /// Opens an existing store; reading commands should not create an empty one by accident.
    func openExisting() throws -> HistoryStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no history store at \(path): run 'headroom import' first, or pass --db")
        }
        return try HistoryStore(path: path)
    }
}
