/// A flat forecast at the median of the last hour (12 steps): the fallback for histories too
/// short for anything else, and for series with no cycle and no trend.
public struct LevelForecaster: Forecaster {
    public let window: Int
    public init(window: Int = 12) { self.window = window }
    public var name: String { "level(\(window))" }
    public var isSeasonal: Bool { false }

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        guard !history.isEmpty else { return [Double](repeating: 0, count: horizon) }
        let recent = history.suffix(window).sorted()
        let middle = recent.count / 2
        let level = recent.count % 2 == 1 ? recent[middle] : (recent[middle - 1] + recent[middle]) / 2
        return [Double](repeating: level, count: horizon)
    }
}
