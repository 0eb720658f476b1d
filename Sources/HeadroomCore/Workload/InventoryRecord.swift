/// What the cluster declared for one container at one moment: requests, limits, replica count,
/// placement and autoscaler. Usage is kept apart, in usage buckets.
public struct InventoryRecord: Hashable, Sendable, Codable {
    public var container: ContainerID
    /// When this was observed, in unix seconds.
    public var observedAt: Int64
    public var requests: ResourceAmounts
    public var limits: ResourceAmounts
    public var replicas: Int?
    public var nodePool: String?
    public var zone: String?
    public var hpa: HPASpec?
    /// The workload's `headroom.io/*` annotations (sizing overrides such as
    /// `headroom.io/quantile`); other annotations are not kept.
    public var annotations: [String: String]
    /// The workload's pod labels (team, environment, app…), without the controllers' own
    /// (`pod-template-hash`, `controller-revision-hash`, pod names and indexes).
    public var labels: [String: String]

    public init(
        container: ContainerID, observedAt: Int64, requests: ResourceAmounts = .none,
        limits: ResourceAmounts = .none, replicas: Int? = nil, nodePool: String? = nil,
        zone: String? = nil, hpa: HPASpec? = nil, annotations: [String: String] = [:], labels: [String: String] = [:]
    ) {
        self.container = container
        self.observedAt = observedAt
        self.requests = requests
        self.limits = limits
        self.replicas = replicas
        self.nodePool = nodePool
        self.zone = zone
        self.hpa = hpa
        self.annotations = annotations.filter { $0.key.hasPrefix(Self.annotationPrefix) }
        self.labels = labels.filter { !Self.controllerLabels.contains($0.key) }
    }

    /// Labels controllers put on pods; they say nothing about who owns the workload.
    public static let controllerLabels: Set<String> = ["pod-template-hash", "controller-revision-hash", "statefulset.kubernetes.io/pod-name",
                                                       "apps.kubernetes.io/pod-index", "controller-uid", "batch.kubernetes.io/controller-uid",
                                                       "job-name", "batch.kubernetes.io/job-name"]

    /// Annotations under this prefix are Headroom's own.
    public static let annotationPrefix = "headroom.io/"
}
