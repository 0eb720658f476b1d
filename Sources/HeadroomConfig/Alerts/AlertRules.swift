import HeadroomCore

/// How urgent an alert is, and so how it is routed: critical at once, warning in business hours,
/// info in the daily digest.
public enum AlertSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
}

/// What a rule watches. Each kind reads one part of the Assessment.
public enum AlertRuleKind: Sendable, Hashable {
    /// Month-to-date spend at or over each percentage of the monthly budget.
    case budgetActual(thresholds: [Int])
    /// The month-end projection (its P50 or P90) at or over a percentage of the budget.
    case budgetForecast(percentile: ProjectionPercentile, thresholdPercent: Int)
    /// A pool's idle cost, per month, over an amount or over a share of the pool's node cost.
    case idleCost(minimumMonthly: Int64?, minimumShare: Double?)
    /// A workload whose current limits replay into at least `oomBuckets` OOM buckets (each an
    /// OOM kill had usage repeated itself) over the advice's replay window, or whose containers
    /// were OOM-killed at least `oomKills` times in the history window (either that is set).
    case workloadRisk(oomBuckets: Int?, oomKills: Int?)
    /// No new usage bucket for longer than `maxAgeSeconds`.
    case dataStaleness(maxAgeSeconds: Int64)
    /// A namespace's spend over its last `recentDays` up by `minimumChangePercent` or more on the
    /// `baselineDays` before them (scaled to the same length), when the recent spend is at least
    /// `minimumSpend` (so small namespaces stay quiet).
    case spendChange(recentDays: Int, baselineDays: Int, minimumChangePercent: Int, minimumSpend: Int64)
    /// A namespace's cost-weighted usage over requests below `below`, when its allocated cost,
    /// per month, is at least `minimumMonthly`.
    case efficiency(below: Double, minimumMonthly: Int64)

    /// The `alertname` label of this kind's alerts.
    public var alertName: String {
        switch self {
        case .budgetActual: "HeadroomBudgetActual"
        case .budgetForecast: "HeadroomBudgetForecast"
        case .idleCost: "HeadroomIdleCost"
        case .workloadRisk: "HeadroomWorkloadRisk"
        case .dataStaleness: "HeadroomDataStale"
        case .spendChange: "HeadroomSpendChange"
        case .efficiency: "HeadroomLowEfficiency"
        }
    }

    public enum ProjectionPercentile: String, Sendable, Hashable { case p50, p90 }
}

/// Which objects a rule looks at; an empty list means all of them.
public struct AlertScope: Sendable, Hashable {
    public var budgets: [String] = []
    public var namespaces: [String] = []
    public var pools: [String] = []
    /// Workload labels that must all match (workload risk).
    public var labels: [String: String] = [:]

    public init(budgets: [String] = [], namespaces: [String] = [], pools: [String] = [], labels: [String: String] = [:]) {
        self.budgets = budgets
        self.namespaces = namespaces
        self.pools = pools
        self.labels = labels
    }
}

/// One rule of the alert file.
public struct AlertRule: Sendable, Hashable {
    public var name: String
    public var kind: AlertRuleKind
    public var severity: AlertSeverity
    public var scope: AlertScope
    /// A firing alert is notified again after this long; 0 never.
    public var repeatSeconds: Int64
    /// The sinks it goes to, by name.
    public var sinks: [String]
    public var runbook: String?
    /// Line of the rule in its file, for messages.
    public var line: Int?

    public init(name: String, kind: AlertRuleKind, severity: AlertSeverity, scope: AlertScope = AlertScope(), repeatSeconds: Int64,
                sinks: [String], runbook: String? = nil, line: Int? = nil) {
        self.name = name
        self.kind = kind
        self.severity = severity
        self.scope = scope
        self.repeatSeconds = repeatSeconds
        self.sinks = sinks
        self.runbook = runbook
        self.line = line
    }
}

/// Where notifications go.
public struct AlertSink: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Alertmanager API v2 at every one of `urls` (an HA set gets each alert at each member).
        case alertmanager(urls: [String])
        /// A JSON webhook, signed with HMAC-SHA256 over the body when a secret file is given.
        case webhook(url: String, secretFile: String?)
        /// A Slack-compatible incoming webhook (`text` and `blocks`).
        case slack(url: String)
    }
    public var name: String
    public var kind: Kind
    public var timeoutSeconds: Int64
    public var headers: [String: String]

    public init(name: String, kind: Kind, timeoutSeconds: Int64 = 10, headers: [String: String] = [:]) {
        self.name = name
        self.kind = kind
        self.timeoutSeconds = timeoutSeconds
        self.headers = headers
    }

    /// The addresses one notification is delivered to, each on its own.
    public var targets: [String] {
        switch kind {
        case .alertmanager(let urls): urls
        case .webhook(let url, _), .slack(let url): [url]
        }
    }
}

/// When warnings and infos go out: warnings inside business hours, infos at the digest hour.
public struct AlertSchedule: Sendable, Hashable {
    /// An IANA time zone name (`Europe/Berlin`).
    public var timeZone: String
    /// Business hours `[startHour, endHour)` in local time, on `weekdays` (1 = Monday … 7 = Sunday).
    public var startHour: Int
    public var endHour: Int
    public var weekdays: Set<Int>
    /// Local hour of the daily info digest.
    public var digestHour: Int

    public init(timeZone: String = "UTC", startHour: Int = 9, endHour: Int = 17, weekdays: Set<Int> = [1, 2, 3, 4, 5], digestHour: Int = 8) {
        self.timeZone = timeZone
        self.startHour = startHour
        self.endHour = endHour
        self.weekdays = weekdays
        self.digestHour = digestHour
    }
}

/// The whole alert file: rules, sinks and the schedule.
public struct AlertConfiguration: Sendable, Hashable {
    public var rules: [AlertRule]
    public var sinks: [AlertSink]
    public var schedule: AlertSchedule
    /// How often the rules are evaluated (cron or the service's cycle); Alertmanager's `endsAt`
    /// is 4 × this ahead while an alert fires.
    public var evaluationSeconds: Int64
    /// Undelivered notifications kept at most; past it infos are dropped first, then warnings.
    public var queueLimit: Int

    public init(rules: [AlertRule], sinks: [AlertSink], schedule: AlertSchedule = AlertSchedule(), evaluationSeconds: Int64 = 900, queueLimit: Int = 10_000) {
        self.rules = rules
        self.sinks = sinks
        self.schedule = schedule
        self.evaluationSeconds = evaluationSeconds
        self.queueLimit = queueLimit
    }
}
