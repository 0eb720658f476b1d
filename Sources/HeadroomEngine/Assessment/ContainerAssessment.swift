import HeadroomCore
import HeadroomCost
import HeadroomRecommend

/// One container in the assessment: current and recommended requests and limits, each with its
/// replayed risk and monthly cost, the forecast bands behind the recommendation, the confidence
/// the history allows, and the notes.
public struct ContainerAssessment: Sendable, Encodable {
    public struct Configuration: Sendable, Encodable {
        public var requests: ResourceAmounts
        public var limits: ResourceAmounts
        public var risk: ReplayedRisk
        public var monthlyMicrodollars: Int64
    }
    public var container: ContainerID
    public var replicas: Int
    public var current: Configuration
    public var recommended: Configuration
    /// The forecast figures behind the requests.
    public var forecast: SizingEvidence?
    public var vpaBounds: VPABounds?
    public var confidence: AdviceConfidence?
    public var models: [String]
    public var notes: [String]
    /// OOM kills seen (Kubernetes events) in the advice's history window.
    public var oomKills: Int
    /// The workload's labels, as the inventory last saw them.
    public var labels: [String: String]

    init(_ row: PricedContainerAdvice, oomKills: Int, labels: [String: String]) {
        self.oomKills = oomKills
        self.labels = labels
        let advice = row.advice
        container = advice.container
        replicas = advice.replicas
        current = Configuration(requests: advice.current.requests, limits: advice.current.limits, risk: advice.current.risk,
                                monthlyMicrodollars: row.currentMonthly)
        recommended = Configuration(requests: advice.recommended.requests, limits: advice.recommended.limits, risk: advice.recommended.risk,
                                    monthlyMicrodollars: row.recommendedMonthly)
        forecast = advice.evidence
        vpaBounds = advice.vpaBounds
        confidence = advice.confidence
        models = advice.models
        notes = advice.notes
    }
}

/// A workload with HPA advice: min/max/target now and recommended, the replay figures of both,
/// and the predictive minimum-replicas schedule.
public struct WorkloadAssessment: Sendable, Encodable {
    public var workload: WorkloadID
    public var hpa: HPAAdvice
}
