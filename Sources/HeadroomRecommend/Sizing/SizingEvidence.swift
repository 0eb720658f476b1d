/// The forecast figures a `forecast`-strategy recommendation stands on, so every output can say
/// why a request is what it is: the peak of the quantile forecast over the horizon, the floor
/// from recent history, and the margin on top.
public struct SizingEvidence: Sendable, Hashable, Codable {
    public struct CPU: Sendable, Hashable, Codable {
        public var model: String
        public var quantile: Double
        /// Peak of the `quantile` forecast over the horizon, per pod.
        public var forecastPeakMillicores: Double
        /// The `quantile` of the last week's 5-minute means (a floor under the forecast).
        public var recentQuantileMillicores: Double
        public var margin: Double
        public var horizonSteps: Int
    }
    public struct Memory: Sendable, Hashable, Codable {
        public var model: String
        public var quantile: Double
        /// Peak of the `quantile` forecast of the 5-minute working-set maxima, per pod.
        public var forecastPeakBytes: Double
        /// The highest working set in the history (memory cannot be borrowed).
        public var observedPeakBytes: Double
        /// The floor an OOM kill sets (kill × bump ratio, or + the minimum bump), when there was one.
        public var oomFloorBytes: Double?
        public var margin: Double
        public var horizonSteps: Int
    }
    public var cpu: CPU
    public var memory: Memory
}
