import HeadroomCore

/// One configuration of a container (the current one or the recommended one) with the risk it
/// would have run over the replayed window.
public struct SizedConfiguration: Sendable, Hashable, Codable {
    public var requests: ResourceAmounts
    public var limits: ResourceAmounts
    public var risk: ReplayedRisk

    public init(requests: ResourceAmounts, limits: ResourceAmounts, risk: ReplayedRisk) {
        self.requests = requests
        self.limits = limits
        self.risk = risk
    }
}

/// The upstream VPA recommender's lower and upper bounds (strategy `vpa`).
public struct VPABounds: Sendable, Hashable, Codable {
    public var lower: ResourceAmounts
    public var upper: ResourceAmounts

    public init(lower: ResourceAmounts, upper: ResourceAmounts) {
        self.lower = lower
        self.upper = upper
    }
}

/// The advice for one container: current and recommended configuration with their replayed
/// risk, the HPA replay where there is or should be an HPA, and the reasons. Prices are not
/// part of it: HeadroomCost prices both configurations.
public struct ContainerAdvice: Sendable, Hashable, Codable {
    public var container: ContainerID
    /// Declared replicas (1 when the inventory does not say).
    public var replicas: Int
    public var current: SizedConfiguration
    public var recommended: SizedConfiguration
    public var vpaBounds: VPABounds?
    public var hpa: HPAAdvice?
    /// Forecast models behind the CPU and memory figures.
    public var models: [String]
    /// The forecast bands behind the requests (strategy `forecast`; also computed under `vpa`).
    public var evidence: SizingEvidence?
    public var confidence: AdviceConfidence?
    /// 5-minute buckets of the replay window that held usage: what the risk figures cover.
    public var replayedBuckets: Int?
    public var notes: [String]

    public init(container: ContainerID, replicas: Int, current: SizedConfiguration, recommended: SizedConfiguration, vpaBounds: VPABounds?,
                hpa: HPAAdvice?, models: [String], evidence: SizingEvidence? = nil, confidence: AdviceConfidence? = nil, replayedBuckets: Int? = nil,
                notes: [String]) {
        self.container = container
        self.replicas = replicas
        self.current = current
        self.recommended = recommended
        self.vpaBounds = vpaBounds
        self.hpa = hpa
        self.models = models
        self.evidence = evidence
        self.confidence = confidence
        self.replayedBuckets = replayedBuckets
        self.notes = notes
    }

    /// True when a CPU HPA scales the workload (then a VPA must leave CPU alone).
    public var cpuScaledByHPA: Bool { hpa != nil || notes.contains { $0.hasPrefix("HPA scales on CPU") } }
}
