import HeadroomCore
import HeadroomCost
import HeadroomHistory

extension Engine {
    /// The stored daily costs of the last `sinceSeconds` (whole days back from the last stored
    /// day) grouped as `options` says; nothing is recomputed.
    public func costReport(sinceSeconds: Int64, options: CostReport.Options) throws -> CostReport {
        guard let range = try store.costDayRange(cluster: cluster) else { throw EngineError.noCosts }
        let to = range.upperBound + 86_400
        let from = max(range.lowerBound, to - sinceSeconds / 86_400 * 86_400)
        return try costReport(from: from, to: to, options: options)
    }

    /// The stored daily costs of `[from, to)` grouped as `options` says.
    public func costReport(from: Int64, to: Int64, options: CostReport.Options) throws -> CostReport {
        let labels = Dictionary(try store.latestInventory(cluster: cluster).map { ($0.container, $0.labels) }, uniquingKeysWith: { $1 })
        return CostReport.build(from: from, to: to, containers: try store.containerCosts(from: from, to: to, cluster: cluster), pools: try store.poolCosts(from: from, to: to, cluster: cluster),
                                volumes: try store.unattachedVolumeCosts(from: from, to: to, cluster: cluster), labels: labels, options: options)
    }
}
