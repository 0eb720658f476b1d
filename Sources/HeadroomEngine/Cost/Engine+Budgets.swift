import HeadroomCore
import HeadroomCost
import HeadroomHistory
import HeadroomRecommend

/// What `budget check` is asked.
public struct BudgetOptions: Sendable {
    public var budgets: [Budget]
    public var catalog: PriceCatalog
    /// Sizing overrides for the recommended requests behind the recommended quotas.
    public var overrides = SizingOverrides()
    public var jobs = 1

    public init(budgets: [Budget], catalog: PriceCatalog) {
        self.budgets = budgets
        self.catalog = catalog
    }
}

extension Engine {
    /// Every budget against the stored daily costs of the month of the last stored day, and its
    /// namespaces' quotas against the recommended requests.
    public func checkBudgets(_ options: BudgetOptions) async throws -> BudgetReport {
        guard let inputs = try await budgetInputs(options) else { throw EngineError.noCosts }
        return BudgetEvaluator.evaluate(inputs.evaluatorInput(budgets: options.budgets, units: options.catalog.units))
    }

    /// What this cluster brings to a budget check: its stored daily costs, declared state,
    /// quotas, priced nodes and the advice behind the recommended quotas; nil without costs.
    func budgetInputs(_ options: BudgetOptions) async throws -> BudgetInputs? {
        guard let range = try await store.costDayRange(cluster: cluster) else { return nil }
        let inventory = Dictionary(try await store.latestInventory(asOf: nil, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let covered = Set(inventory.values.filter { record in
            options.budgets.contains {
                $0.covers(cluster: record.container.workload.cluster, namespace: record.container.workload.namespace, labels: record.labels)
            }
        }.map(\.container))
        let advice = try await quickAdvice(for: covered, inventory: inventory, overrides: options.overrides, catalog: options.catalog, jobs: options.jobs)
        return try await budgetInputs(costs: try await store.containerCosts(from: range.lowerBound, to: range.upperBound + 86_400, cluster: cluster),
                                      days: range, inventory: inventory, advice: advice, catalog: options.catalog)
    }

    /// Given rows with this cluster's quotas (tagged with it) and priced nodes.
    func budgetInputs(costs: [StoredContainerCost], days: ClosedRange<Int64>, inventory: [ContainerID: InventoryRecord],
                      advice: [ContainerAdvice], catalog: PriceCatalog) async throws -> BudgetInputs {
        var quotas = try await store.latestQuotas(cluster: cluster)
        for index in quotas.indices { quotas[index].cluster = cluster }
        return BudgetInputs(costs: costs, days: days, inventory: inventory, quotas: quotas,
                            pricedNodes: catalog.price(try await store.latestNodes(cluster: cluster)),
                            recommended: Dictionary(advice.map { ($0.container, $0.recommended.requests) }, uniquingKeysWith: { $1 }))
    }

    /// Budgets over given daily rows, with the quotas recommended from `advice`'s requests.
    func budgetReport(_ budgets: [Budget], catalog: PriceCatalog, costs: [StoredContainerCost], days: ClosedRange<Int64>,
                      inventory: [ContainerID: InventoryRecord], advice: [ContainerAdvice]) async throws -> BudgetReport {
        let inputs = try await budgetInputs(costs: costs, days: days, inventory: inventory, advice: advice, catalog: catalog)
        return BudgetEvaluator.evaluate(inputs.evaluatorInput(budgets: budgets, units: catalog.units))
    }

    /// Advice without HPA replays or pools over the last 14 days (replayed over the last 7), for
    /// budgets and reclamation: the default strategy and policy, bounded by the same nodes as
    /// `advise`'s, so the requests are advise's.
    func quickAdvice(for containers: Set<ContainerID>, inventory: [ContainerID: InventoryRecord], overrides: SizingOverrides,
                     catalog: PriceCatalog, jobs: Int) async throws -> [ContainerAdvice] {
        guard let range = try await store.usageTimeRange(cluster: cluster) else { return [] }
        let end = range.upperBound + 300
        var options = AdviceOptions()
        options.overrides = overrides
        options.includeHPA = false
        let advisor = Self.containerAdvisor(options, replaySteps: 2016, nodes: try await store.latestNodes(cluster: cluster),
                                            catalog: catalog.planningTypes(NodeCatalog.awsUSEast1.map(\.name)))
        let (rows, _) = try await AdvicePipeline.advise(store, .init(
            containers: try await store.containers(cluster: cluster).filter { containers.contains($0) }, inventory: inventory, ooms: try await store.events(kind: .oomKilled, cluster: cluster),
            start: end - 14 * 86_400, end: end, advisor: advisor, jobs: jobs), progress: nil)
        return rows
    }
}
