/// Additive Holt–Winters with a damped trend (ETS(A,Ad,A)): level ℓ, trend b, one seasonal
/// state per slot of the period,
///
///     ŷ(t+h) = ℓ + (φ + … + φʰ)·b + s[(t+h) mod period]
///
/// initialised from the first two cycles and fitted by grid search of (α, β, γ) on one-step
/// squared error over at most the last week. The seasonal member of the ETS family.
public struct HoltWintersForecaster: Forecaster {
    public let period: Int
    public init(period: Int) { self.period = period }
    public var name: String { "ets-holt-winters(\(period))" }
    public var isSeasonal: Bool { true }

    static let grid: [(alpha: Double, beta: Double, gamma: Double)] = [
        (0.05, 0, 0.05), (0.05, 0, 0.2), (0.2, 0, 0.05), (0.2, 0, 0.2), (0.2, 0.02, 0.1), (0.5, 0, 0.1), (0.5, 0.02, 0.2), (0.8, 0, 0.1),
    ]
    static let phi = 0.98

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        guard history.count >= 3 * period else { return SeasonalNaiveForecaster(period: period).forecast(history, horizon: horizon) }
        let data = Array(history.suffix(max(3 * period, min(history.count, 7 * period))))
        var best: (error: Double, level: Double, trend: Double, season: [Double], end: Int) = (.infinity, 0, 0, [], 0)
        for parameters in Self.grid {
            var state = initialState(data)
            var error = 0.0
            for index in (2 * period)..<data.count {
                let slot = index % period
                let predicted = state.level + Self.phi * state.trend + state.season[slot]
                let residual = data[index] - predicted
                error += residual * residual
                state.level = predicted - state.season[slot] + parameters.alpha * residual
                state.trend = Self.phi * state.trend + parameters.beta * parameters.alpha * residual
                state.season[slot] += parameters.gamma * (1 - parameters.alpha) * residual
            }
            if error < best.error { best = (error, state.level, state.trend, state.season, data.count) }
        }
        var forecast: [Double] = []
        forecast.reserveCapacity(horizon)
        var damping = 0.0
        var power = 1.0
        for step in 0..<horizon {
            power *= Self.phi
            damping += power
            forecast.append(best.level + damping * best.trend + best.season[(best.end + step) % period])
        }
        return forecast
    }

    /// Level = mean of the first cycle, trend = per-step change between the first two cycles'
    /// means, seasonal states = the first two cycles' average deviation per slot. Slots are
    /// counted from the start of `data`.
    private func initialState(_ data: [Double]) -> (level: Double, trend: Double, season: [Double]) {
        let first = data[0..<period].reduce(0, +) / Double(period)
        let second = data[period..<(2 * period)].reduce(0, +) / Double(period)
        var season = [Double](repeating: 0, count: period)
        for slot in 0..<period { season[slot] = ((data[slot] - first) + (data[period + slot] - second)) / 2 }
        return (second, (second - first) / Double(period), season)
    }
}
