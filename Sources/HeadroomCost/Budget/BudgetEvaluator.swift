import HeadroomCore

/// Evaluates budgets from stored daily costs: each budget's month-to-date spend, the forecast of
/// the rest of the month from its daily history, and its namespaces' quotas against it.
public enum BudgetEvaluator {
    public struct Input: Sendable {
        public var budgets: [Budget]
        /// Stored daily container costs over `days`.
        public var costs: [StoredContainerCost]
        /// First and last stored cost day (midnight UTC).
        public var days: ClosedRange<Int64>
        /// Latest declared state per container (labels for label budgets, requests, replicas, pools).
        public var inventory: [ContainerID: InventoryRecord]
        public var quotas: [ResourceQuotaRecord]
        public var pricedNodes: [PricedNode]
        public var units: UnitPrices
        /// Recommended requests per container (HPA workloads are counted at their maximum).
        public var recommended: [ContainerID: ResourceAmounts]

        public init(budgets: [Budget], costs: [StoredContainerCost], days: ClosedRange<Int64>, inventory: [ContainerID: InventoryRecord],
                    quotas: [ResourceQuotaRecord], pricedNodes: [PricedNode], units: UnitPrices, recommended: [ContainerID: ResourceAmounts]) {
            self.budgets = budgets
            self.costs = costs
            self.days = days
            self.inventory = inventory
            self.quotas = quotas
            self.pricedNodes = pricedNodes
            self.units = units
            self.recommended = recommended
        }
    }

    /// Whether `container` counts against `budget` (labels from the inventory).
    static func covers(_ budget: Budget, _ container: ContainerID, inventory: [ContainerID: InventoryRecord]) -> Bool {
        budget.covers(cluster: container.workload.cluster, namespace: container.workload.namespace, labels: inventory[container]?.labels ?? [:])
    }

    public static func evaluate(_ input: Input) -> BudgetReport {
        let lastDay = input.days.upperBound
        let month = UTCMonth(containing: lastDay)
        let clusters = Set(input.costs.map(\.container.workload.cluster))
        var results: [BudgetResult] = []
        for budget in input.budgets {
            var daily = [Int64: Int64]()
            // Month to date by cluster, for a budget over several clusters' costs.
            var byCluster = [String: Int64]()
            for row in input.costs where covers(budget, row.container, inventory: input.inventory) {
                daily[row.day, default: 0] += row.total
                if row.day >= month.start && row.day <= lastDay { byCluster[row.container.workload.cluster, default: 0] += row.total }
            }
            let days = stride(from: input.days.lowerBound, through: lastDay, by: 86_400).map { daily[$0] ?? 0 }
            let inMonth = Int((lastDay - max(month.start, input.days.lowerBound)) / 86_400) + 1
            let projection = MonthProjection.project(history: days, daysInMonthSoFar: inMonth, daysLeft: Int((month.end - lastDay) / 86_400) - 1)
            let containers = input.inventory.values.filter { covers(budget, $0.container, inventory: input.inventory) }
            let nodePools = NodePools(input.pricedNodes.map(\.node))
            let pools = Set(containers.compactMap { nodePools.pool(forDeclared: $0.nodePool) })
            let rates = ResourceRates(nodes: input.pricedNodes.filter { pools.contains(NodePools.name(of: $0.node)) }, units: input.units)
            func total(_ pick: (InventoryRecord) -> ResourceAmounts, replicas: (InventoryRecord) -> Int) -> ResourceAmounts {
                containers.reduce(.zero) { $0 + pick($1).times(replicas($1)) }
            }
            let now = total({ $0.requests }, replicas: { $0.replicas ?? 1 })
            let wanted = total({ input.recommended[$0.container] ?? $0.requests }, replicas: { $0.hpa?.maxReplicas ?? $0.replicas ?? 1 })
            // Quotas tagged with their cluster: every cluster the budget's workloads run in must cap its namespaces.
            let quotas = input.quotas.filter { quota in
                budget.namespaces.contains(quota.namespace) && (budget.clusters.isEmpty || quota.cluster.map(budget.clusters.contains) ?? true)
            }
            let quotaClusters = quotas.contains { $0.cluster != nil }
                ? Set(containers.map(\.container.workload.cluster)).union(quotas.compactMap(\.cluster)).sorted() : nil
            var quota = QuotaFinding.reconcile(budget: budget, quotas: quotas, clusters: quotaClusters, rates: rates,
                                               requestedNow: now, recommended: wanted)
            if budget.namespaces.isEmpty {
                quota.flags = ["label budget: quotas are per namespace, so none is reconciled (the recommended quota is what its workloads need)"]
            }
            var result = BudgetResult(budget: budget, projection: projection, quota: quota)
            if clusters.count > 1 || !budget.clusters.isEmpty {
                result.clusters = (budget.clusters.isEmpty ? clusters.sorted() : budget.clusters.filter(clusters.contains)).map {
                    BudgetResult.ClusterSpend(cluster: $0, monthToDateMicrodollars: byCluster[$0] ?? 0)
                }
            }
            results.append(result)
        }
        return BudgetReport(month: month.label, lastDay: lastDay, budgets: results)
    }
}
