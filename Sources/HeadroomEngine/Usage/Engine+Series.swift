import HeadroomCore
import HeadroomHistory

/// Which stored containers a forecast reads: a workload by name, optionally in one namespace and
/// of one container.
public struct ContainerSelector: Sendable, Hashable {
    public var namespace: String?
    public var workload: String
    public var container: String?

    public init(namespace: String?, workload: String, container: String?) {
        self.namespace = namespace
        self.workload = workload
        self.container = container
    }

    public func matches(_ id: ContainerID) -> Bool {
        id.workload.name == workload && (namespace == nil || id.workload.namespace == namespace) && (container == nil || id.container == container)
    }
}

extension Engine {
    /// The containers of the engine's cluster that `selector` names, and the whole stored usage
    /// window to forecast them from.
    public func containers(matching selector: ContainerSelector) async throws -> (containers: [ContainerID], window: Range<Int64>) {
        let matches = try await store.containers(cluster: cluster).filter(selector.matches)
        guard !matches.isEmpty else { throw EngineError(.invalidInput, "no stored container of cluster \(cluster) matches the selector") }
        guard let range = try await store.usageTimeRange(cluster: cluster) else { throw EngineError.noUsage }
        return (matches, range.lowerBound..<(range.upperBound + 300))
    }
}
