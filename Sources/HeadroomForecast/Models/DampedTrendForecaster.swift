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

    static let setCount = alphas.count * betas.count * phis.count

    /// The parameter grid in (α, β, φ) order, eight sets per vector (the last padded with repeats).
    static let grid: [(alpha: SIMD8<Double>, beta: SIMD8<Double>, phi: SIMD8<Double>, oneMinusBetaTimesPhi: SIMD8<Double>)] = {
        var sets: [(Double, Double, Double)] = []
        for alpha in alphas { for beta in betas { for phi in phis { sets.append((alpha, beta, phi)) } } }
        while sets.count % 8 != 0 { sets.append(sets.last!) }
        return stride(from: 0, to: sets.count, by: 8).map { offset in
            let chunk = sets[offset..<offset + 8]
            let alpha = SIMD8<Double>(chunk.map(\.0)), beta = SIMD8<Double>(chunk.map(\.1)), phi = SIMD8<Double>(chunk.map(\.2))
            return (alpha, beta, phi, (1 - beta) * phi)
        }
    }()

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        guard history.count >= 3 else { return LevelForecaster().forecast(history, horizon: horizon) }
        // Fit on at most the last week at 5 minutes: 45 parameter sets × 2,016 steps, run eight
        // sets per SIMD vector so the independent recursions overlap (the same arithmetic, lane
        // by lane, as one set at a time, so the same winner).
        let data = Array(history.suffix(2016))
        let grid = Self.grid
        var levels = grid.map { _ in SIMD8<Double>(repeating: data[0]) }
        var trends = grid.map { _ in SIMD8<Double>(repeating: data[1] - data[0]) }
        var errors = grid.map { _ in SIMD8<Double>.zero }
        for value in data.dropFirst() {
            let observed = SIMD8<Double>(repeating: value)
            for lane in grid.indices {
                let parameters = grid[lane]
                let level = levels[lane], trend = trends[lane]
                let predicted = level + parameters.phi * trend
                let residual = observed - predicted
                errors[lane] += residual * residual
                let newLevel = predicted + parameters.alpha * residual
                trends[lane] = parameters.beta * (newLevel - level) + parameters.oneMinusBetaTimesPhi * trend
                levels[lane] = newLevel
            }
        }
        var best: (error: Double, level: Double, trend: Double, phi: Double) = (.infinity, data.last!, 0, 0.9)
        for index in 0..<Self.setCount {
            let (vector, lane) = index.quotientAndRemainder(dividingBy: 8)
            if errors[vector][lane] < best.error {
                best = (errors[vector][lane], levels[vector][lane], trends[vector][lane], grid[vector].phi[lane])
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
