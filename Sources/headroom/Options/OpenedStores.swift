import HeadroomHistoryPostgres
import Synchronization

/// The PostgreSQL stores a command opened, shut down by `HeadroomMain` before the process
/// exits, whatever the outcome, so that the pools close their connections themselves rather
/// than leaving it all to the exit (see `PostgresHistoryStore.shutDown` for what is not promised).
enum OpenedStores {
    private static let stores = Mutex<[PostgresHistoryStore]>([])

    static func register(_ store: PostgresHistoryStore) {
        stores.withLock { $0.append(store) }
    }

    /// Shuts every registered store down (each waits at most a few seconds).
    static func shutDownAll() async {
        let opened = stores.withLock { stores in
            defer { stores.removeAll() }
            return stores
        }
        for store in opened { await store.shutDown() }
    }
}
