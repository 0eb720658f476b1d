/// Per-pod usage of one container in one 5-minute bucket: CPU in millicores, memory working set
/// in bytes. Mean and max are over every sample of every pod of the workload in that bucket, so
/// they compare directly with a per-pod request.
public struct UsageBucket: Hashable, Sendable, Codable {
    public var container: ContainerID
    public var resource: ResourceKind
    public var stats: BucketStats

    public init(container: ContainerID, resource: ResourceKind, stats: BucketStats) {
        self.container = container
        self.resource = resource
        self.stats = stats
    }
}
