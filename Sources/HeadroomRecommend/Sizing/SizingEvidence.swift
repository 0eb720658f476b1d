import HeadroomForecast

/// The figures a recommendation stands on, so every output can say why a request is what it
/// is. Under `forecast`: the peak of the quantile forecast over the horizon, the floor from
/// recent history, and the margin on top. Under `risk`: the horizon quantile (`horizon`), the
/// need without its margin as the "forecast peak", the recency-weighted quantile as the recent one.
public struct SizingEvidence: Sendable, Hashable, Codable {
    /// The highest 5-minute value the median (p50) and p90 forecasts reach in the next hour, per
    /// pod: what the service exports as `headroom_forecast_p50` / `headroom_forecast_p90`.
    public struct NextHour: Sendable, Hashable, Codable {
        public var p50: Double
        public var p90: Double

        public init(p50: Double, p90: Double) {
            self.p50 = p50
            self.p90 = p90
        }

        /// Steps of five minutes in an hour.
        public static let steps = 12

        /// The peaks of the first hour of `result` (which must carry the 0.9 quantile).
        init(_ result: ForecastResult) {
            p50 = result.point.prefix(Self.steps).max() ?? 0
            p90 = (result.quantiles[0.9] ?? result.point).prefix(Self.steps).max() ?? 0
        }
    }
    public struct CPU: Sendable, Hashable, Codable {
        public var model: String
        public var quantile: Double
        /// Peak of the `quantile` forecast over the horizon, per pod.
        public var forecastPeakMillicores: Double
        /// The `quantile` of the last week's 5-minute means (a floor under the forecast).
        public var recentQuantileMillicores: Double
        public var margin: Double
        public var horizonSteps: Int
        /// Millicores per pod.
        public var nextHour: NextHour?
        /// The `risk` strategy's estimate (millicores per pod); nil under the others.
        public var horizon: HorizonQuantile?
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
        /// Bytes per pod (forecast of the 5-minute working-set maxima).
        public var nextHour: NextHour?
        /// The `risk` strategy's estimate (bytes per pod); nil under the others.
        public var horizon: HorizonQuantile?
    }
    public var cpu: CPU
    public var memory: Memory
}
