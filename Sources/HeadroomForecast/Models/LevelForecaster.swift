/// A flat forecast at the median of the last hour (12 steps): the fallback for histories too
/// short for anything else, and for series with no cycle and no trend.
public struct LevelForecaster: Forecaster {
    public let window: Int
    public init(window: Int = 12) { self.window = window }
    public var name: String { "level(\(window))" }
    public var isSeasonal: Bool { false }

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        guard !history.isEmpty else { return [Double](repeating: 0, count: horizon) }
        return [Double](repeating: median(Array(history.suffix(window))), count: horizon)
    }
}
