import HeadroomCore
import HeadroomHistory

/// Headroom's one engine over a history store: every output (the CLI's commands, the
/// assessment, later the service, report and alerts) asks it, so they show the same numbers.
/// An engine answers for one cluster: every query it makes is scoped to it, so a store holding
/// several clusters gives each the answers a store of its own would. Reads the store; only
/// `cost allocate` and the service's advice cache (`AdviceOptions.reuse`) write to it.
public struct Engine: Sendable {
    public let store: any HistoryBackend
    public let cluster: String

    public init(store: any HistoryBackend, cluster: String) {
        self.store = store
        self.cluster = cluster
    }

    /// The engine for `cluster`, or for the store's only cluster when nil. A name the store does
    /// not hold, or nil with several clusters stored, is an error that lists them.
    public init(store: any HistoryBackend, selecting cluster: String?) async throws {
        let known = try await store.clusters()
        if let cluster {
            guard known.contains(cluster) || known.isEmpty else {
                throw EngineError(.invalidInput, "the store holds no cluster \"\(cluster)\" (it holds \(known.joined(separator: ", ")))")
            }
            self.init(store: store, cluster: cluster)
        } else if known.count > 1 {
            throw EngineError(.invalidInput, "the store holds clusters \(known.joined(separator: ", ")): pass --cluster NAME")
        } else {
            self.init(store: store, cluster: known.first ?? ContainerID.defaultCluster)
        }
    }
}
