/// A point forecaster: given a regular, gap-filled history, the next `horizon` values.
/// Quantiles come from the backtest errors of whichever forecaster is chosen (see `AutoForecaster`).
public protocol Forecaster: Sendable {
    /// Short, stable name reported with each forecast.
    var name: String { get }
    /// Whether the model imposes a cycle (so it is not offered for series without one).
    var isSeasonal: Bool { get }
    func forecast(_ history: [Double], horizon: Int) -> [Double]
}
