import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomHistory

/// Reads what allocation needs from the store (I/O only): hourly per-pod usage from the
/// 5-minute buckets, declared state per hour, and the latest node snapshot.
extension Engine {
    func usageHours(start: Int64, hours: Int, namespaces: [String] = []) throws -> [ContainerUsageHours] {
        let end = start + Int64(hours) * 3600
        let latest = Dictionary(try store.latestInventory(asOf: end, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        return try store.containers(cluster: cluster).filter { namespaces.isEmpty || namespaces.contains($0.workload.namespace) }.map { container in
            func hourly(_ resource: ResourceKind) throws -> [Double?] {
                let series = try store.series(container, resource: resource, statistic: .mean, from: start, to: end)
                return (0..<hours).map { hour in
                    let values = series.values.dropFirst(hour * 12).prefix(12).compactMap { $0 }
                    return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
                }
            }
            return ContainerUsageHours(container: container, pool: latest[container]?.nodePool, cpuPerPod: try hourly(.cpu),
                                       memoryPerPod: try hourly(.memory), declared: try store.inventorySeries(container, from: start, to: end, step: 3600))
        }
    }

    /// The window `since` back from the end of the stored usage, in whole hours.
    func allocationWindow(since: Int64) throws -> (start: Int64, hours: Int) {
        guard let range = try store.usageTimeRange(cluster: cluster) else {
            throw EngineError.noUsage
        }
        let end = (range.upperBound + 300 + 3599) / 3600 * 3600
        let start = max((end - since) / 3600 * 3600, range.lowerBound / 3600 * 3600)
        return (start, Int((end - start) / 3600))
    }
}
