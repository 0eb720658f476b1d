/// One container's buckets of one resource, in start order: the compact form of a run of
/// `UsageBucket`s (48 bytes a bucket instead of 136, the container named once), which a
/// downsampled collection hands the store so a chunk's buckets are not held in the wide form.
public struct UsageRun: Hashable, Sendable {
    public var container: ContainerID
    public var resource: ResourceKind
    public var stats: [BucketStats]

    public init(container: ContainerID, resource: ResourceKind, stats: [BucketStats]) {
        self.container = container
        self.resource = resource
        self.stats = stats
    }
}
