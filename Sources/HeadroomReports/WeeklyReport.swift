import HeadroomCore
import HeadroomCost
import HeadroomHistory

/// The weekly cost report as one value: every format (HTML, Markdown, CSV, JSON) renders this,
/// so their totals cannot disagree. Money is in micro-dollars; each renderer rounds to the cent
/// the same way (`Money.dollars`).
public struct WeeklyReport: Sendable, Encodable {
    public struct Metadata: Sendable, Encodable {
        public var cluster: String
        /// `2026-W47`.
        public var week: String
        public var previousWeek: String
        public var timeZone: String
        /// `[from, to)`: Monday 00:00 to the next Monday 00:00 local time, unix seconds.
        public var from: Int64
        public var to: Int64
        public var firstDate: String
        public var lastDate: String
        public var generatedAt: Int64
        /// Hours of the week with stored usage, of all its hours: below the whole week the report
        /// is of a week that has not ended or whose data is missing.
        public var hoursWithUsage: Int
        public var hours: Int
        public var sharedNamespaces: [String]
        public var distribution: String
    }

    /// What the week cost: the workloads (with their volumes), idle node capacity and unattached
    /// volumes, against the week before.
    public struct Spend: Sendable, Encodable {
        public var totalMicrodollars: Int64
        public var previousMicrodollars: Int64
        public var changeMicrodollars: Int64
        /// Change over the previous week in percent; nil when it cost nothing.
        public var changePercent: Double?
        public var workloadsMicrodollars: Int64
        public var idleMicrodollars: Int64
        public var unattachedMicrodollars: Int64
    }

    /// One line of a breakdown: this week, the week before and the change.
    public struct Line: Sendable, Encodable, Hashable {
        public var name: String
        public var microdollars: Int64
        public var previousMicrodollars: Int64
        public var changeMicrodollars: Int64 { microdollars - previousMicrodollars }
        /// How many groups the line stands for (more than 1 for "other").
        public var members: Int = 1

        private enum CodingKeys: String, CodingKey { case name, microdollars, previousMicrodollars, changeMicrodollars, members }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(microdollars, forKey: .microdollars)
            try container.encode(previousMicrodollars, forKey: .previousMicrodollars)
            try container.encode(changeMicrodollars, forKey: .changeMicrodollars)
            try container.encode(members, forKey: .members)
        }
    }

    /// The workloads' cost grouped one way: the top lines and one "other" line for the rest;
    /// shared namespaces spread as `cost report` spreads them.
    public struct Breakdown: Sendable, Encodable {
        /// `namespace`, `workload` or `label:KEY`.
        public var by: String
        public var lines: [Line]
        public var totalMicrodollars: Int64
        public var previousTotalMicrodollars: Int64
    }

    /// One day of the week: each namespace's own cost (shared namespaces as themselves), idle
    /// and unattached volumes; the days add up to the week's spend.
    public struct Day: Sendable, Encodable {
        public struct Amount: Sendable, Encodable {
            public var name: String
            public var microdollars: Int64
        }
        public var date: String
        public var start: Int64
        /// The top namespaces of the week (same order every day) and "other".
        public var namespaces: [Amount]
        public var idleMicrodollars: Int64
        public var unattachedMicrodollars: Int64
        public var totalMicrodollars: Int64
    }

    /// A workload's requests against its usage over the week, as mean cores and GiB across all
    /// its pods (request-hours and usage-hours over the week's hours).
    public struct RequestsAndUsage: Sendable, Encodable {
        public var workload: String
        public var microdollars: Int64
        public var cpuRequestCores: Double
        public var cpuUsageCores: Double
        public var memoryRequestGiB: Double
        public var memoryUsageGiB: Double
    }

    public struct PoolWaste: Sendable, Encodable {
        public var pool: String
        public var nodeMicrodollars: Int64
        public var idleMicrodollars: Int64
        /// Idle over node cost, 0–1.
        public var idleShare: Double
    }

    public struct Saving: Sendable, Encodable {
        public var kind: String
        public var target: String
        public var monthlySavingMicrodollars: Int64
        public var risk: String
        public var evidence: String
        public var command: String
        public var patch: String?
    }

    public struct BudgetLine: Sendable, Encodable {
        public var budget: String
        public var monthlyMicrodollars: Int64
        public var monthToDateMicrodollars: Int64
        public var p10Microdollars: Int64
        public var p50Microdollars: Int64
        public var p90Microdollars: Int64
        public var status: String
    }

    /// A container's sizing recommendation from the assessment, for the CSV export.
    public struct Recommendation: Sendable, Encodable {
        public var container: String
        public var replicas: Int
        public var cpuRequestMillicores: Int64?
        public var recommendedCPURequestMillicores: Int64?
        public var memoryRequestBytes: Int64?
        public var recommendedMemoryRequestBytes: Int64?
        public var memoryLimitBytes: Int64?
        public var recommendedMemoryLimitBytes: Int64?
        public var monthlyMicrodollars: Int64
        public var recommendedMonthlyMicrodollars: Int64
    }

    public var metadata: Metadata
    public var spend: Spend
    public var daily: [Day]
    public var namespaces: Breakdown
    public var workloads: Breakdown
    public var labels: [Breakdown]
    /// The namespaces whose cost moved most, each change split into its causes.
    public var causes: [CostCauses]
    /// The same for workloads.
    public var workloadCauses: [CostCauses]
    /// Cost-weighted usage over requests per namespace over the week.
    public var efficiency: [NamespaceEfficiency]
    public var requestsAndUsage: [RequestsAndUsage]
    public var waste: [PoolWaste]
    public var unattachedVolumes: [CostReport.Volume]
    public var savings: [Saving]
    /// Monthly saving of the whole reclamation plan (the top items are in `savings`).
    public var reclaimableMonthlyMicrodollars: Int64
    /// `2026-11`, when budgets were given.
    public var budgetMonth: String?
    public var budgets: [BudgetLine]
    public var recommendations: [Recommendation]
    /// The previous report's advice and what was adopted.
    public var followThrough: AdviceFollowThrough

    /// The advice this report shows, to record for the next week's follow-through.
    public var adviceToRecord: [RecordedAdvice] {
        recommendations.map {
            RecordedAdvice(container: $0.container, cpuRequestMillicores: $0.cpuRequestMillicores, memoryRequestBytes: $0.memoryRequestBytes,
                           recommendedCPURequestMillicores: $0.recommendedCPURequestMillicores, recommendedMemoryRequestBytes: $0.recommendedMemoryRequestBytes,
                           monthlyMicrodollars: $0.monthlyMicrodollars, recommendedMonthlyMicrodollars: $0.recommendedMonthlyMicrodollars)
        }
    }
}
