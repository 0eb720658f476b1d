import HeadroomCore
import HeadroomCost

/// Node costs allocated over a window: per container, per namespace (shared namespaces spread
/// as `cost report` spreads them), per pool with its idle capacity, per label, and the volumes
/// nobody mounts. Containers + idle + unattached volumes = the window's node and volume cost.
public struct AllocationAssessment: Sendable, Encodable {
    public struct ContainerCost: Sendable, Encodable {
        public var container: ContainerID
        public var pool: String?
        public var cpuMicrodollars: Int64
        public var ramMicrodollars: Int64
        public var pvMicrodollars: Int64
        public var totalMicrodollars: Int64
    }
    public struct PoolCost: Sendable, Encodable {
        public var pool: String
        public var nodeMicrodollars: Int64
        public var allocatedMicrodollars: Int64
        public var idleMicrodollars: Int64
    }
    public struct LabelBreakdown: Sendable, Encodable {
        public var key: String
        public var lines: [CostReport.Line]
    }
    /// `[from, to)`, midnight UTC.
    public var from: Int64
    public var to: Int64
    public var hours: Int
    public var sharedNamespaces: [String]
    public var distribution: String
    public var containers: [ContainerCost]
    public var namespaces: [CostReport.Line]
    public var pools: [PoolCost]
    public var labels: [LabelBreakdown]
    public var unattachedVolumes: [CostReport.Volume]
    public var totalMicrodollars: Int64
    /// Each namespace's own cost per day of the window.
    public var daily: [DailyNamespaceCost] = []
    /// Cost-weighted usage over requests per namespace (usage from the replay window).
    public var efficiency: [NamespaceEfficiency] = []
}

/// What the assessment knows about the age of its inputs, and what it left out and why.
public struct DataFreshness: Sendable, Encodable {
    public struct Source: Sendable, Encodable {
        public var source: String
        public var lastSample: Int64
        public var ageSeconds: Int64
    }
    public struct Cluster: Sendable, Encodable {
        public var cluster: String
        public var containers: Int
        public var lastUsageBucket: Int64?
        public var lastInventory: Int64?
        public var lastNodeSnapshot: Int64?
        /// `now` − the end of the last usage bucket.
        public var usageAgeSeconds: Int64?
    }
    public struct Skipped: Sendable, Encodable {
        public var item: String
        public var reason: String
    }
    public var sources: [Source]
    public var clusters: [Cluster]
    public var skipped: [Skipped]
}
