/// Everything one collection or import produced, handed to the history store as one unit so
/// that it is stored all at once or not at all.
public struct CollectedBatch: Sendable {
    /// Names the source (a file path, a Prometheus URL) for watermarks and messages.
    public var source: String
    public var usage: [UsageBucket]
    /// More buckets, grouped by container and resource (a downsampled collection's chunk);
    /// stored exactly as if they were in `usage`, after it.
    public var usageRuns: [UsageRun] = []
    public var inventory: [InventoryRecord]
    public var events: [ContainerEvent]
    /// How many raw samples the buckets summarise (for progress and throughput figures).
    public var rawSampleCount: Int
    /// The latest sample time seen (unix seconds), recorded as the source's watermark.
    public var watermark: Int64?
    /// Nodes, quotas, limit ranges and VPAs, when the source is the Kubernetes API.
    public var cluster: ClusterObjects?

    public init(
        source: String, usage: [UsageBucket] = [], inventory: [InventoryRecord] = [],
        events: [ContainerEvent] = [], rawSampleCount: Int = 0, watermark: Int64? = nil, cluster: ClusterObjects? = nil
    ) {
        self.cluster = cluster
        self.source = source
        self.usage = usage
        self.inventory = inventory
        self.events = events
        self.rawSampleCount = rawSampleCount
        self.watermark = watermark
    }

    /// Buckets in `usage` and `usageRuns` together.
    public var usageBucketCount: Int { usageRuns.reduce(usage.count) { $0 + $1.stats.count } }
}
