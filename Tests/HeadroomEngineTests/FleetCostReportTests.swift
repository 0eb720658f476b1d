import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomTesting
import Testing

/// `cost report --clusters`: three clusters of one store over one window, each as its own report says.
@Suite(.serialized) struct FleetCostReportTests {
    static let clusters = [SyntheticCluster(name: "production", scale: 1.4), SyntheticCluster(name: "staging", scale: 0.6, seed: 5),
                           SyntheticCluster(name: "development", scale: 0.3, seed: 9)]

    @Test("three clusters: each cluster's figures are its own report's, the sum is theirs, the window is shared")
    func threeClusters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store(Self.clusters, in: directory, named: "fleet.sqlite")
        for cluster in Self.clusters {
            _ = try await Engine(store: store, cluster: cluster.name).allocate(sinceSeconds: 30 * 86_400, catalog: SyntheticCluster.catalog)
        }
        let fleet = try await Engine.fleetCostReport(store: store, clusters: nil, sinceSeconds: 7 * 86_400, options: .init())
        #expect(fleet.clusters.map(\.cluster) == ["development", "production", "staging"])
        #expect(fleet.withoutCosts.isEmpty)
        #expect(fleet.to - fleet.from == 7 * 86_400)
        for entry in fleet.clusters {
            let own = try await Engine(store: store, cluster: entry.cluster).costReport(from: fleet.from, to: fleet.to, options: .init())
            #expect(entry.report == own)
            #expect(entry.totalMicrodollars == own.totalMicrodollars && entry.idleMicrodollars == own.idleMicrodollars)
            #expect(entry.totalMicrodollars > 0)
        }
        #expect(fleet.totalMicrodollars == fleet.clusters.reduce(0) { $0 + $1.totalMicrodollars })
        // The clusters differ (a leak between them would make two equal).
        #expect(Set(fleet.clusters.map(\.totalMicrodollars)).count == 3)
        #expect(fleet.clusters.first { $0.cluster == "production" }!.totalMicrodollars
                > fleet.clusters.first { $0.cluster == "development" }!.totalMicrodollars)

        let two = try await Engine.fleetCostReport(store: store, clusters: ["staging", "production"], sinceSeconds: 7 * 86_400, options: .init())
        #expect(two.clusters.map(\.cluster) == ["staging", "production"])
        #expect(two.totalMicrodollars == fleet.totalMicrodollars - fleet.clusters[0].totalMicrodollars)
    }

    @Test("an unknown cluster is an error listing the store's clusters; a cluster without costs is named, not summed")
    func unknownAndEmpty() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store(Array(Self.clusters.prefix(2)), in: directory, named: "two.sqlite")
        _ = try await Engine(store: store, cluster: "production").allocate(sinceSeconds: 30 * 86_400, catalog: SyntheticCluster.catalog)
        await #expect {
            _ = try await Engine.fleetCostReport(store: store, clusters: ["qa"], sinceSeconds: 7 * 86_400, options: .init())
        } throws: { error in
            "\(error)".contains("no cluster \"qa\"") && "\(error)".contains("production, staging")
        }
        let report = try await Engine.fleetCostReport(store: store, clusters: nil, sinceSeconds: 7 * 86_400, options: .init())
        #expect(report.clusters.map(\.cluster) == ["production"] && report.withoutCosts == ["staging"])
    }
}
