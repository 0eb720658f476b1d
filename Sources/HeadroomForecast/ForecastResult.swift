/// A quantile forecast with the evidence behind it.
public struct ForecastResult: Sendable {
    /// The chosen model.
    public var model: String
    /// Its mean absolute error in the backtest (nil when history was too short to backtest).
    public var backtestMAE: Double?
    /// Point forecast (the median).
    public var point: [Double]
    /// Requested quantile → values, monotone across quantiles, never negative.
    public var quantiles: [Double: [Double]]
    /// Whether a cycle was found at the period.
    public var seasonal: Bool
    /// Why a fallback was taken, or what was repaired, in words.
    public var notes: [String]
}
