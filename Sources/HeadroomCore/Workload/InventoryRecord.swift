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

    public init(
        container: ContainerID, observedAt: Int64, requests: ResourceAmounts = .none,
        limits: ResourceAmounts = .none, replicas: Int? = nil, nodePool: String? = nil,
        zone: String? = nil, hpa: HPASpec? = nil
    ) {
        self.container = container
        self.observedAt = observedAt
        self.requests = requests
        self.limits = limits
        self.replicas = replicas
        self.nodePool = nodePool
        self.zone = zone
        self.hpa = hpa
    }
}
