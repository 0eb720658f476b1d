/// Repeats the last full cycle: the floor every other model must beat.
public struct SeasonalNaiveForecaster: Forecaster {
    public let period: Int
    public init(period: Int) { self.period = period }
    public var name: String { "seasonal-naive(\(period))" }
    public var isSeasonal: Bool { true }

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        guard history.count >= period else { return LevelForecaster().forecast(history, horizon: horizon) }
        let base = history.count - period
        return (0..<horizon).map { history[base + $0 % period] }
    }
}
