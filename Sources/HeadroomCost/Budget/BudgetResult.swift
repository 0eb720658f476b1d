import HeadroomCore

/// One budget's month: spend so far, the month-end projection, a status and its quotas.
public struct BudgetResult: Sendable, Hashable, Encodable {
    public enum Status: String, Sendable, Hashable, Encodable {
        case ok, warning, atRisk = "at risk", projected, breached
    }
    public var budget: String
    public var namespaces: [String]
    public var labels: [String: String]
    /// Month-to-date spend per cluster, when the budget spans clusters or the check covers
    /// several (absent for a single cluster's check of a budget naming none).
    public var clusters: [ClusterSpend]?
    public var monthlyMicrodollars: Int64
    public var projection: MonthProjection
    public var status: Status
    /// The highest threshold the P50 projection crosses.
    public var thresholdCrossed: Int?
    public var quota: QuotaFinding

    /// Status: breached (spent more than the budget), projected (the P50 projection exceeds it),
    /// at risk (the P90 does), warning (the P50 crosses a threshold), ok.
    public init(budget: Budget, projection: MonthProjection, quota: QuotaFinding) {
        self.budget = budget.name
        namespaces = budget.namespaces
        labels = budget.labels
        monthlyMicrodollars = budget.monthly
        self.projection = projection
        self.quota = quota
        thresholdCrossed = budget.thresholds.last { Int128(projection.p50) * 100 >= Int128(budget.monthly) * Int128($0) }
        status = projection.monthToDate > budget.monthly ? .breached
            : projection.p50 > budget.monthly ? .projected
            : projection.p90 > budget.monthly ? .atRisk
            : thresholdCrossed != nil ? .warning : .ok
    }

    /// One cluster's part of a budget's month-to-date spend.
    public struct ClusterSpend: Sendable, Hashable, Encodable {
        public var cluster: String
        public var monthToDateMicrodollars: Int64
    }

    /// Breached or projected to be: what makes `budget check` exit 3.
    public var isViolation: Bool { status == .breached || status == .projected }
}

/// Every budget for the month of the last stored cost day.
public struct BudgetReport: Sendable, Hashable, Encodable {
    /// `2026-11`.
    public var month: String
    public var lastDay: Int64
    public var budgets: [BudgetResult]

    public init(month: String, lastDay: Int64, budgets: [BudgetResult]) {
        self.month = month
        self.lastDay = lastDay
        self.budgets = budgets
    }
}
