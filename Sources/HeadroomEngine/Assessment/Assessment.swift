import HeadroomCore
import HeadroomCost
import HeadroomRecommend

/// Everything Headroom concludes about a cluster at one moment, computed once by the engine and
/// rendered by every output (the CLI's `assess`, later the service, the weekly report and budget
/// alerts), so they cannot disagree. Versioned: `apiVersion: headroom.io/v1alpha1`,
/// `kind: Assessment` (docs/assessment.md describes every field).
public struct Assessment: Sendable, Encodable {
    public static let apiVersion = "headroom.io/v1alpha1"
    public static let kind = "Assessment"

    public struct Metadata: Sendable, Encodable {
        /// The cluster the assessment is of.
        public var cluster: String
        /// The `now` the assessment was computed at, unix seconds.
        public var generatedAt: Int64
        /// End of the usage the advice is computed from (just after the last stored bucket).
        public var windowEnd: Int64
        public var strategy: String
        public var historySeconds: Int64
        public var replaySeconds: Int64
        /// How prices were set: list prices, or the user's terms.
        public var prices: String
    }

    /// Sums an output can show without adding up the parts itself.
    public struct Totals: Sendable, Encodable {
        public var containers: Int
        /// Requests priced a month, current and recommended (HPA workloads at their replayed mean replicas).
        public var currentMonthlyMicrodollars: Int64
        public var recommendedMonthlyMicrodollars: Int64
        /// Everything the allocation window cost (workloads, idle, unattached volumes).
        public var allocatedMicrodollars: Int64
        public var reclaimableMonthlyMicrodollars: Int64
        /// Budgets breached or projected to be.
        public var budgetsViolated: Int
    }

    public var metadata: Metadata
    public var totals: Totals
    public var containers: [ContainerAssessment]
    /// Workloads with HPA advice: the replayed HPA, the searched one and a predictive schedule.
    public var workloads: [WorkloadAssessment]
    public var pools: [PoolAdvice]
    public var allocation: AllocationAssessment
    public var budgets: BudgetReport?
    public var reclamation: ReclaimPlan
    public var freshness: DataFreshness

    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, totals, containers, workloads, pools, allocation, budgets, reclamation, freshness
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        try keyed.encode(Self.apiVersion, forKey: .apiVersion)
        try keyed.encode(Self.kind, forKey: .kind)
        try keyed.encode(metadata, forKey: .metadata)
        try keyed.encode(totals, forKey: .totals)
        try keyed.encode(containers, forKey: .containers)
        try keyed.encode(workloads, forKey: .workloads)
        try keyed.encode(pools, forKey: .pools)
        try keyed.encode(allocation, forKey: .allocation)
        try keyed.encodeIfPresent(budgets, forKey: .budgets)
        try keyed.encode(reclamation, forKey: .reclamation)
        try keyed.encode(freshness, forKey: .freshness)
    }
}
