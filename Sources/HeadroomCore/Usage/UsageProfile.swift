/// Percentiles of a container's usage over a window, set against its requests: the first answer
/// Headroom gives about any workload.
public struct UsageProfile: Hashable, Sendable, Codable {
    public struct Resource: Hashable, Sendable, Codable {
        /// Percentiles of the 5-minute mean (per pod), and the highest sample seen.
        public var p50: Double
        public var p95: Double
        public var max: Double
        /// The request at the end of the window, in the same unit (millicores or bytes).
        public var request: Double?
        /// P95 as a fraction of the request.
        public var p95OfRequest: Double? { request.flatMap { $0 > 0 ? p95 / $0 : nil } }
        /// Buckets the percentiles are computed from.
        public var buckets: Int
    }

    public var container: ContainerID
    public var replicas: Int?
    /// CPU in millicores, memory in bytes; nil when the window holds no sample of it.
    public var cpu: Resource?
    public var memory: Resource?
    public var oomKills: Int
    /// Resources whose P95 is below `overProvisionedBelow` × request.
    public var overProvisioned: [ResourceKind]
    /// Idle by the one idle rule (`CPUActivity.isIdle`: CPU P95 under `idleBelowMillicores` with
    /// samples in at least half of the window).
    public var idle: Bool

    /// P95 under half the request marks a resource over-provisioned by default.
    public static let defaultOverProvisionedBelow = 0.5
    /// A container whose CPU P95 stays under 5 millicores is idle (a sleeping process, a probe).
    public static let idleBelowMillicores = 5.0

    /// Builds a profile from the window's buckets. Pure: the caller fetches the data.
    /// - Parameter windowBuckets: 5-minute buckets in the window (the idle rule's coverage needs
    ///   it); nil counts the window as fully covered by `cpu`.
    public static func make(
        container: ContainerID, cpu: [BucketStats], memory: [BucketStats], inventory: InventoryRecord?,
        oomKills: Int, overProvisionedBelow: Double = defaultOverProvisionedBelow, windowBuckets: Int? = nil
    ) -> UsageProfile {
        func resource(_ buckets: [BucketStats], request: Double?) -> Resource? {
            guard !buckets.isEmpty else { return nil }
            let means = buckets.map(\.mean).sorted()
            return Resource(p50: Percentile.ofSorted(means, 0.5)!, p95: Percentile.ofSorted(means, 0.95)!,
                            max: buckets.map(\.max).max()!, request: request, buckets: buckets.count)
        }
        let cpuProfile = resource(cpu, request: inventory?.requests.cpu.map { Double($0.millicores) })
        let memoryProfile = resource(memory, request: inventory?.requests.memory.map { Double($0.bytes) })
        var over: [ResourceKind] = []
        if let ratio = cpuProfile?.p95OfRequest, ratio < overProvisionedBelow { over.append(.cpu) }
        if let ratio = memoryProfile?.p95OfRequest, ratio < overProvisionedBelow { over.append(.memory) }
        return UsageProfile(container: container, replicas: inventory?.replicas, cpu: cpuProfile, memory: memoryProfile,
                            oomKills: oomKills, overProvisioned: over,
                            idle: CPUActivity(buckets: windowBuckets ?? cpu.count, observed: cpu.count, p95Millicores: cpuProfile?.p95).isIdle)
    }
}
