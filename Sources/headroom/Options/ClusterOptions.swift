import ArgumentParser
import HeadroomEngine

/// `--cluster NAME`: which cluster of the store a command answers for (required when the store
/// holds several).
struct ClusterOptions: ParsableArguments {
    @Option(name: .customLong("cluster"), help: ArgumentHelp("Cluster of the store to answer for (default: its only one).", valueName: "name"))
    var name: String?

    /// The engine over the existing store, for the chosen cluster.
    func engine(_ store: StoreOptions) async throws -> Engine {
        let backend = try await store.openBackend(existing: true)
        return try await EngineCall.run { try await Engine(store: backend, selecting: name) }
    }

    /// Prints, on standard error, what the store found wrong with rows it read but did not stop at.
    static func reportWarnings(_ engine: Engine) {
        for warning in engine.store.takeWarnings() { printError("warning: \(warning)") }
    }
}
