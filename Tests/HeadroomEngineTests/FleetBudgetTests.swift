import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomTesting
import Testing

/// `budget check --clusters`: budgets over three clusters of one store, each cluster's part as
/// its own check finds it.
@Suite(.serialized) struct FleetBudgetTests {
    static let clusters = FleetCostReportTests.clusters
    static let shop = Budget(name: "shop", namespaces: ["shop"], monthly: 400_000_000, thresholds: [80, 100], line: nil)
    static let shopProduction = Budget(name: "shop-production", namespaces: ["shop"], clusters: ["production"], monthly: 300_000_000,
                                       thresholds: [80, 100], line: nil)

    /// The three clusters with their costs allocated and stored.
    static func allocatedStore(_ clusters: [SyntheticCluster], in directory: TemporaryDirectory) async throws -> HistoryStore {
        let store = try SyntheticCluster.store(clusters, in: directory, named: "fleet.sqlite")
        for cluster in clusters {
            _ = try await Engine(store: store, cluster: cluster.name).allocate(sinceSeconds: 30 * 86_400, catalog: SyntheticCluster.catalog)
        }
        return store
    }

    @Test("a budget naming no cluster sums the three clusters' spend, broken down by cluster as each cluster's own check finds it")
    func spanningEveryCluster() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.allocatedStore(Self.clusters, in: directory)
        let options = BudgetOptions(budgets: [Self.shop], catalog: SyntheticCluster.catalog)
        let fleet = try await Engine.fleetBudgets(store: store, clusters: nil, options: options)
        #expect(fleet.clusters == ["development", "production", "staging"] && fleet.withoutCosts.isEmpty)
        let result = try #require(fleet.report.budgets.first)
        var own: [String: Int64] = [:]
        for cluster in Self.clusters {
            let alone = try await Engine(store: store, cluster: cluster.name).checkBudgets(options)
            own[cluster.name] = try #require(alone.budgets.first).projection.monthToDate
            // A single cluster's check of a budget naming no cluster has no breakdown.
            #expect(alone.budgets.first?.clusters == nil)
        }
        let parts = try #require(result.clusters)
        #expect(parts.map(\.cluster) == ["development", "production", "staging"])
        #expect(Dictionary(uniqueKeysWithValues: parts.map { ($0.cluster, $0.monthToDateMicrodollars) }) == own)
        #expect(result.projection.monthToDate == own.values.reduce(0, +))
        // The clusters differ, so a breakdown that mixed them up would show.
        #expect(Set(own.values).count == 3 && own.values.allSatisfy { $0 > 0 })
        // Every cluster's shop quota counts: production's 8 cores and the others' 4 each.
        #expect(result.quota.hard.cpu == CPUQuantity(millicores: 16_000))
    }

    @Test("a budget naming one cluster is that cluster's own check of the same scope, whichever clusters are checked")
    func namingOneCluster() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.allocatedStore(Self.clusters, in: directory)
        let fleet = try await Engine.fleetBudgets(store: store, clusters: nil,
                                                  options: BudgetOptions(budgets: [Self.shopProduction], catalog: SyntheticCluster.catalog))
        let alone = try await Engine(store: store, cluster: "production")
            .checkBudgets(BudgetOptions(budgets: [Self.shop], catalog: SyntheticCluster.catalog))
        let ours = try #require(fleet.report.budgets.first), theirs = try #require(alone.budgets.first)
        #expect(ours.projection == theirs.projection)
        #expect(ours.quota.hard == theirs.quota.hard && ours.quota.requestedNow == theirs.quota.requestedNow)
        #expect(ours.quota.recommendedQuota == theirs.quota.recommendedQuota)
        #expect(ours.clusters?.map(\.cluster) == ["production"] && ours.clusters?.first?.monthToDateMicrodollars == theirs.projection.monthToDate)
        // Only production could count, so only production was read.
        #expect(fleet.clusters == ["production"])
    }

    @Test("--clusters limits the check; a cluster without costs is named, not counted; an unknown one is an error listing the store's")
    func choosingClusters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store(Self.clusters, in: directory, named: "fleet.sqlite")
        for name in ["production", "staging"] {
            _ = try await Engine(store: store, cluster: name).allocate(sinceSeconds: 30 * 86_400, catalog: SyntheticCluster.catalog)
        }
        let options = BudgetOptions(budgets: [Self.shop], catalog: SyntheticCluster.catalog)
        let two = try await Engine.fleetBudgets(store: store, clusters: ["staging", "development"], options: options)
        #expect(two.clusters == ["staging"] && two.withoutCosts == ["development"])
        let staging = try await Engine(store: store, cluster: "staging").checkBudgets(options)
        #expect(two.report.budgets.first?.projection.monthToDate == staging.budgets.first?.projection.monthToDate)
        await #expect {
            _ = try await Engine.fleetBudgets(store: store, clusters: ["qa"], options: options)
        } throws: { error in
            "\(error)".contains("no cluster \"qa\"") && "\(error)".contains("development, production, staging")
        }
    }
}
