import HeadroomHistory

/// Headroom's one engine over a history store: every output (the CLI's commands, the
/// assessment, later the service, report and alerts) asks it, so they show the same numbers.
/// Reads the store; only `cost allocate` and the reclamation audit write to it.
public struct Engine: Sendable {
    public let store: HistoryStore

    public init(store: HistoryStore) {
        self.store = store
    }
}
