import HeadroomCore
import HeadroomCost
import HeadroomHistory

extension Engine {
    /// The stored daily costs of the last `sinceSeconds` (whole days back from the last stored
    /// day) grouped as `options` says; nothing is recomputed.
    public func costReport(sinceSeconds: Int64, options: CostReport.Options) async throws -> CostReport {
        guard let range = try await store.costDayRange(cluster: cluster) else { throw EngineError.noCosts }
        let to = range.upperBound + 86_400
        let from = max(range.lowerBound, to - sinceSeconds / 86_400 * 86_400)
        return try await costReport(from: from, to: to, options: options)
    }

    /// The stored daily costs of `[from, to)` grouped as `options` says.
    public func costReport(from: Int64, to: Int64, options: CostReport.Options) async throws -> CostReport {
        let labels = Dictionary(try await store.latestInventory(asOf: nil, cluster: cluster).map { ($0.container, $0.labels) }, uniquingKeysWith: { $1 })
        return CostReport.build(from: from, to: to, containers: try await store.containerCosts(from: from, to: to, cluster: cluster), pools: try await store.poolCosts(from: from, to: to, cluster: cluster),
                                volumes: try await store.unattachedVolumeCosts(from: from, to: to, cluster: cluster), labels: labels, options: options)
    }
}
