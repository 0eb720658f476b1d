/// `spec.behavior` of an autoscaling/v2 HorizontalPodAutoscaler, with the API's defaults.
public struct HPAScalingRules: Sendable, Hashable {
    public enum SelectPolicy: String, Sendable { case max = "Max", min = "Min", disabled = "Disabled" }
    public struct Policy: Sendable, Hashable {
        public enum Kind: String, Sendable { case pods = "Pods", percent = "Percent" }
        public var kind: Kind
        public var value: Int
        public var periodSeconds: Int
        public init(kind: Kind, value: Int, periodSeconds: Int) {
            self.kind = kind
            self.value = value
            self.periodSeconds = periodSeconds
        }
    }

    /// nil for scale-down means the controller's downscale window (300 s).
    public var stabilizationWindowSeconds: Int?
    public var selectPolicy: SelectPolicy
    public var policies: [Policy]

    public init(stabilizationWindowSeconds: Int?, selectPolicy: SelectPolicy, policies: [Policy]) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
    }

    /// Scale up: no window, the larger of +4 pods and +100 % per 15 s.
    public static let defaultScaleUp = HPAScalingRules(
        stabilizationWindowSeconds: 0, selectPolicy: .max,
        policies: [.init(kind: .pods, value: 4, periodSeconds: 15), .init(kind: .percent, value: 100, periodSeconds: 15)])
    /// Scale down: the controller's window, up to −100 % per 15 s.
    public static let defaultScaleDown = HPAScalingRules(
        stabilizationWindowSeconds: nil, selectPolicy: .max, policies: [.init(kind: .percent, value: 100, periodSeconds: 15)])
}

/// A replica change the controller made, `ageSeconds` ago.
public struct HPAScaleEvent: Sendable, Hashable {
    public var change: Int
    public var ageSeconds: Double
    public init(change: Int, ageSeconds: Double) {
        self.change = change
        self.ageSeconds = ageSeconds
    }
}

/// A desired replica count the controller computed, `ageSeconds` ago.
public struct HPARecommendation: Sendable, Hashable {
    public var replicas: Int
    public var ageSeconds: Double
    public init(replicas: Int, ageSeconds: Double) {
        self.replicas = replicas
        self.ageSeconds = ageSeconds
    }
}

/// Why the normalized count is what it is (the `ScalingLimited` condition's reason).
public enum HPALimitCondition: String, Sendable {
    case desiredWithinRange = "DesiredWithinRange"
    case tooFewReplicas = "TooFewReplicas"
    case tooManyReplicas = "TooManyReplicas"
    case scaleUpLimit = "ScaleUpLimit"
    case scaleDownLimit = "ScaleDownLimit"
}
