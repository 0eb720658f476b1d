import HeadroomCore
import HeadroomCost
import HeadroomHistory

/// One or several clusters' part of a budget check, gathered before the budgets are evaluated.
struct BudgetInputs: Sendable {
    var costs: [StoredContainerCost]
    /// First and last stored cost day.
    var days: ClosedRange<Int64>
    var inventory: [ContainerID: InventoryRecord]
    /// Each tagged with its cluster, so a budget over some clusters reconciles only theirs.
    var quotas: [ResourceQuotaRecord]
    var pricedNodes: [PricedNode]
    var recommended: [ContainerID: ResourceAmounts]

    /// Several clusters' inputs as one: rows keep their cluster (every container id carries it),
    /// and the days run from the earliest first day to the latest last one.
    static func merged(_ parts: [BudgetInputs]) -> BudgetInputs? {
        guard let first = parts.first else { return nil }
        return parts.dropFirst().reduce(into: first) { whole, part in
            whole.costs += part.costs
            whole.days = min(whole.days.lowerBound, part.days.lowerBound)...max(whole.days.upperBound, part.days.upperBound)
            whole.inventory.merge(part.inventory) { own, _ in own }
            whole.quotas += part.quotas
            whole.pricedNodes += part.pricedNodes
            whole.recommended.merge(part.recommended) { own, _ in own }
        }
    }

    func evaluatorInput(budgets: [Budget], units: UnitPrices) -> BudgetEvaluator.Input {
        .init(budgets: budgets, costs: costs, days: days, inventory: inventory, quotas: quotas, pricedNodes: pricedNodes,
              units: units, recommended: recommended)
    }
}

/// Budgets over several clusters of one store (`budget check --clusters`).
public struct FleetBudgetReport: Sendable, Hashable, Encodable {
    /// The clusters whose costs were evaluated.
    public var clusters: [String]
    /// Clusters asked for that have no stored cost (run `cost allocate` for them).
    public var withoutCosts: [String]
    public var report: BudgetReport
}

extension Engine {
    /// Every budget over the stored costs of `clusters` (nil: every cluster the store holds), for
    /// the month of the latest day any of them has stored. A budget naming `clusters` counts only
    /// theirs; one naming none counts all of them. Each result breaks its month to date down by
    /// cluster. A cluster whose costs end earlier counts nothing for the days after.
    public static func fleetBudgets(store: any HistoryBackend, clusters: [String]?, options: BudgetOptions) async throws -> FleetBudgetReport {
        let chosen = try await Engine.clusters(clusters, in: store)
        var parts: [BudgetInputs] = [], evaluated: [String] = [], withoutCosts: [String] = []
        for cluster in chosen {
            // Only clusters some budget can cover are read (and advised).
            guard options.budgets.contains(where: { $0.clusters.isEmpty || $0.clusters.contains(cluster) }) else { continue }
            if let part = try await Engine(store: store, cluster: cluster).budgetInputs(options) {
                parts.append(part)
                evaluated.append(cluster)
            } else {
                withoutCosts.append(cluster)
            }
        }
        guard let whole = BudgetInputs.merged(parts) else { throw EngineError.noCosts }
        return FleetBudgetReport(clusters: evaluated, withoutCosts: withoutCosts, report: BudgetEvaluator.evaluate(whole.evaluatorInput(budgets: options.budgets, units: options.catalog.units)))
    }
}
