import HeadroomCore
import HeadroomCost
import HeadroomHistory

/// The stored costs of several clusters over one window: each cluster's report (grouped as
/// asked) and the breakdown a FinOps review starts from, cluster by cluster and summed.
public struct FleetCostReport: Sendable, Hashable, Encodable {
    /// One cluster's share of the window.
    public struct Cluster: Sendable, Hashable, Encodable {
        public var cluster: String
        public var workloadsMicrodollars: Int64
        public var idleMicrodollars: Int64
        public var unattachedMicrodollars: Int64
        public var totalMicrodollars: Int64
        public var report: CostReport
    }

    /// The window, `[from, to)` (unix seconds, whole UTC days), the same for every cluster.
    public var from: Int64
    public var to: Int64
    public var clusters: [Cluster]
    /// Clusters asked for that have no stored cost in the window (run `cost allocate` for them).
    public var withoutCosts: [String]

    public var workloadsMicrodollars: Int64 { clusters.reduce(0) { $0 + $1.workloadsMicrodollars } }
    public var idleMicrodollars: Int64 { clusters.reduce(0) { $0 + $1.idleMicrodollars } }
    public var unattachedMicrodollars: Int64 { clusters.reduce(0) { $0 + $1.unattachedMicrodollars } }
    public var totalMicrodollars: Int64 { clusters.reduce(0) { $0 + $1.totalMicrodollars } }
}

extension Engine {
    /// The stored daily costs of `clusters` (nil: every cluster the store holds) over the last
    /// `sinceSeconds` up to the latest day any of them has stored, each cluster grouped as
    /// `options` says, nothing recomputed. A name the store does not hold is an error listing them.
    public static func fleetCostReport(store: any HistoryBackend, clusters: [String]?, sinceSeconds: Int64,
                                       options: CostReport.Options) async throws -> FleetCostReport {
        let chosen = try await Engine.clusters(clusters, in: store)
        var latest: Int64?
        for cluster in chosen {
            if let range = try await store.costDayRange(cluster: cluster) { latest = max(latest ?? range.upperBound, range.upperBound) }
        }
        guard let latest else { throw EngineError.noCosts }
        let to = latest + 86_400
        let from = to - max(1, sinceSeconds / 86_400) * 86_400
        var report = FleetCostReport(from: from, to: to, clusters: [], withoutCosts: [])
        for cluster in chosen {
            let costs = try await Engine(store: store, cluster: cluster).costReport(from: from, to: to, options: options)
            guard !(costs.lines.isEmpty && costs.idle.isEmpty && costs.unattachedVolumes.isEmpty) else {
                report.withoutCosts.append(cluster)
                continue
            }
            report.clusters.append(.init(cluster: cluster, workloadsMicrodollars: costs.workloadsMicrodollars, idleMicrodollars: costs.idleMicrodollars,
                                         unattachedMicrodollars: costs.unattachedMicrodollars, totalMicrodollars: costs.totalMicrodollars,
                                         report: costs))
        }
        return report
    }

    /// `clusters`, checked against the store's (nil: all of them). A name the store does not
    /// hold is an error listing them.
    public static func clusters(_ clusters: [String]?, in store: any HistoryBackend) async throws -> [String] {
        let known = try await store.clusters()
        let chosen = clusters ?? known
        if let unknown = chosen.first(where: { !known.contains($0) }) {
            throw EngineError(.invalidInput, "the store holds no cluster \"\(unknown)\" (it holds \(known.joined(separator: ", ")))")
        }
        return chosen
    }
}
