import HeadroomCore

/// How requests and limits are derived from forecasts; the defaults follow the VPA's (p90,
/// 15 % margin, OOM bump ×1.2 or +100 MiB) where they have a counterpart.
public struct SizingPolicy: Sendable, Hashable {
    public enum CPULimit: Sendable, Hashable {
        /// No CPU limit (no throttling; the node's spare CPU is shared).
        case none
        /// Limit = request × ratio.
        case ratio(Double)
    }

    public enum MemoryLimit: Sendable, Hashable {
        /// Limit = request (memory cannot be reclaimed: a pod should not count on more).
        case equalToRequest
        case factor(Double)
    }

    /// Quantile of the forecast that requests cover.
    public var quantile = 0.9
    /// Safety margin on top of the forecast (0.15 = +15 %).
    public var margin = 0.15
    /// Forecast horizon the request must cover, in 5-minute steps (one week).
    public var horizonSteps = 2016
    public var cpuLimit = CPULimit.none
    public var memoryLimit = MemoryLimit.equalToRequest
    public var cpuGranularity = CPUQuantity(millicores: 5)
    public var memoryGranularity = MemoryQuantity.mebibyte
    public var minimumCPU = CPUQuantity(millicores: 10)
    public var minimumMemory = MemoryQuantity(bytes: 32 << 20)
    /// Caps from overrides (nil: none). A memory cap below what history needs is kept but noted.
    public var maximumCPU: CPUQuantity?
    public var maximumMemory: MemoryQuantity?
    /// After an OOM kill at `x` bytes the request is at least max(x × ratio, x + minBump).
    public var oomBumpRatio = 1.2
    public var oomMinimumBump: Int64 = 100 << 20

    /// The `risk` strategy: the share of the coming horizon's 5-minute CPU means allowed above
    /// the request. 0.3 %: about four minutes a day; chosen on the shared traces, where it is
    /// the lowest cost at which no container but an idle one exceeds its request in over 10 %
    /// of the buckets (`headroom sizing evaluate`).
    public var cpuRisk = 0.003
    /// The `risk` strategy: the share of the coming horizon's 5-minute working-set maxima allowed
    /// above the memory request; the observed peak plus `margin` and the OOM rule stay floors.
    public var memoryRisk = 0.005
    /// How the `risk` strategy weighs and checks history.
    public var risk = HorizonQuantile.Settings()
    /// A figure above this multiple of the highest usage seen is held there, with a note: no
    /// forecast extrapolates a trend further than that unexplained.
    public var maximumObservedMultiple = 2.0
    /// The largest node the container could run on (its pool's, else the catalog's): no
    /// request exceeds its allocatable resources.
    public var largestNode: LargestNode?

    /// A node's allocatable resources and where they come from, for the note when they cap a request.
    public struct LargestNode: Sendable, Hashable {
        public var allocatable: ResourceAmounts
        /// "pool backend: m5.2xlarge" or "catalog: m5.24xlarge".
        public var source: String

        public init(allocatable: ResourceAmounts, source: String) {
            self.allocatable = allocatable
            self.source = source
        }
    }

    public init() {}
}
