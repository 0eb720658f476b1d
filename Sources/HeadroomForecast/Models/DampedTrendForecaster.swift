/// Exponential smoothing with an additive damped trend (Holt–Gardner): level ℓ, trend b,
///
///     ŷ(t+h) = ℓ + (φ + φ² + … + φʰ)·b
///
/// with α, β, φ fitted by grid search on one-step-ahead squared error. A non-seasonal member of
/// the ETS family, for series without a cycle.
public struct DampedTrendForecaster: Forecaster {
    public init() {}
    public var name: String { "ets-damped-trend" }
    public var isSeasonal: Bool { false }

    static let alphas = [0.05, 0.15, 0.3, 0.6, 0.9]
    static let betas = [0.0, 0.02, 0.1]
    /// φ = 1 is Holt's undamped linear trend, for series that really do keep growing.
    static let phis = [0.9, 0.98, 1.0]

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        guard history.count >= 3 else { return LevelForecaster().forecast(history, horizon: horizon) }
        // Fit on at most the last week at 5 minutes: 45 parameter sets × 2,016 steps.
        let data = Array(history.suffix(2016))
        var best: (error: Double, level: Double, trend: Double, phi: Double) = (.infinity, data.last!, 0, 0.9)
        for alpha in Self.alphas {
            for beta in Self.betas {
                for phi in Self.phis {
                    var level = data[0]
                    var trend = data[1] - data[0]
                    var error = 0.0
                    for value in data.dropFirst() {
                        let predicted = level + phi * trend
                        let residual = value - predicted
                        error += residual * residual
                        let newLevel = predicted + alpha * residual
                        trend = beta * (newLevel - level) + (1 - beta) * phi * trend
                        level = newLevel
                    }
                    if error < best.error { best = (error, level, trend, phi) }
                }
            }
        }
        var forecast: [Double] = []
        forecast.reserveCapacity(horizon)
        var damping = 0.0
        var power = 1.0
        for _ in 0..<horizon {
            power *= best.phi
            damping += power
            forecast.append(best.level + damping * best.trend)
        }
        return forecast
    }
}
