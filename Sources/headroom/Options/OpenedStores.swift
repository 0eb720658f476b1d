import HeadroomHistoryPostgres
import Synchronization

/// The PostgreSQL stores a command opened, shut down by `HeadroomMain` before the process
/// exits, whatever the outcome: the pool's connections end with a goodbye to the server rather
/// than a reset, and no keep-alive query is left in flight at exit.
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
