/// How busy a container's CPU was over a window of 5-minute means: the evidence behind the one
/// idle rule every output uses (usage, advice notes, reclamation, the assessment).
public struct CPUActivity: Hashable, Sendable, Codable {
    /// Buckets in the window.
    public var buckets: Int
    /// Buckets with a sample.
    public var observed: Int
    /// P95 of the observed 5-minute means, millicores (nil without samples).
    public var p95Millicores: Double?

    public init(buckets: Int, observed: Int, p95Millicores: Double?) {
        self.buckets = buckets
        self.observed = observed
        self.p95Millicores = p95Millicores
    }

    /// From a window's 5-minute CPU means (nil where nothing was recorded).
    public init(means: [Double?]) {
        let values = means.compactMap { $0 }
        self.init(buckets: means.count, observed: values.count, p95Millicores: Percentile.of(values, 0.95))
    }

    /// Idle: CPU P95 under `UsageProfile.idleBelowMillicores` (5m) with samples in at least half
    /// of the window, so a container that just started or stopped reporting is not called idle.
    public var isIdle: Bool {
        guard let p95Millicores, observed * 2 >= buckets else { return false }
        return p95Millicores < UsageProfile.idleBelowMillicores
    }
}
