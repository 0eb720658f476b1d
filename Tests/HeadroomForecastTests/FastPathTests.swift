import Foundation
import HeadroomCore
@testable import HeadroomForecast
import Testing

/// The fast paths (normal equations, SIMD damped trend, table-driven Fourier design) against
/// straightforward references written out here.
@Suite struct FastPathTests {
    @Test("reweighted normal equations agree with QR on a weighted Fourier-plus-trend design, round after round")
    func normalEquationsMatchQR() throws {
        var random = SplitMix64(seed: 11)
        let rows = 600, columns = 8
        var design: [Double] = []
        design += [Double](repeating: 1, count: rows)
        design += (0..<rows).map { Double($0) / 288 }
        for k in 1...3 {
            design += (0..<rows).map { sin(2 * Double.pi * Double(k * $0) / 288) }
            design += (0..<rows).map { cos(2 * Double.pi * Double(k * $0) / 288) }
        }
        let truth = [5.0, -0.7, 3, 1, -2, 0.5, 0.25, -0.1]
        let y = (0..<rows).map { row in (0..<columns).reduce(0.0) { $0 + design[$1 * rows + row] * truth[$1] } + random.nextGaussian() * 0.1 }
        let system = ReweightedLeastSquares(columnMajor: design, rows: rows, columns: columns, rhs: y)
        // Unweighted, then most rows at 1 and some down-weighted (as Huber weights are), then all below 1.
        let rounds: [[Double]?] = [nil, (0..<rows).map { $0 % 7 == 0 ? 0.3 : 1 }, (0..<rows).map { _ in 0.2 + Double(random.next() % 80) / 100 }]
        for weights in rounds {
            let qr = try LeastSquares.solve(columnMajor: design, rows: rows, columns: columns, rhs: y, weights: weights)
            let normal = try system.solve(weights: weights)
            for (a, b) in zip(qr, normal) { #expect(abs(a - b) < 1e-9, "QR \(a) vs normal equations \(b)") }
            for (a, b) in zip(qr, truth) { #expect(abs(a - b) < 0.05, "fit \(a) vs truth \(b)") }
        }
    }

    @Test("a rank-deficient design is an error from both solvers, not a silent answer")
    func rankDeficient() {
        let design = [1.0, 1, 1, 0, 0, 0]  // second column all zero
        #expect(throws: LeastSquares.Failure.self) { try LeastSquares.solve(columnMajor: design, rows: 3, columns: 2, rhs: [1, 2, 3]) }
        #expect(throws: LeastSquares.Failure.self) {
            try ReweightedLeastSquares(columnMajor: design, rows: 3, columns: 2, rhs: [1, 2, 3]).solve(weights: [1, 0.5, 1])
        }
    }

    @Test("the SIMD damped trend gives the one-set-at-a-time grid search's forecast exactly")
    func dampedTrendMatchesScalar() {
        var random = SplitMix64(seed: 5)
        for trend in [0.0, 0.05, -0.02] {
            let history = (0..<3000).map { 100 + trend * Double($0) + random.nextGaussian() * 4 }
            #expect(DampedTrendForecaster().forecast(history, horizon: 50) == Self.scalarDampedTrend(history, horizon: 50))
        }
    }

    @Test("Fourier forecasts follow a pure two-harmonic daily cycle with a weekly component")
    func fourierFollowsHarmonics() {
        let period = 288
        func value(_ t: Int) -> Double {
            let day = 2 * Double.pi * Double(t) / Double(period), week = day / 7
            return 50 + 10 * sin(day) + 4 * cos(2 * day) + 6 * sin(week)
        }
        let history = (0..<(14 * period)).map(value)
        let forecast = FourierRegressionForecaster(period: period).forecast(history, horizon: period)
        for step in stride(from: 0, to: period, by: 17) {
            #expect(abs(forecast[step] - value(history.count + step)) < 1e-6, "step \(step): \(forecast[step]) vs \(value(history.count + step))")
        }
    }

    /// The grid search as first written: one parameter set at a time.
    static func scalarDampedTrend(_ history: [Double], horizon: Int) -> [Double] {
        let data = Array(history.suffix(2016))
        var best: (error: Double, level: Double, trend: Double, phi: Double) = (.infinity, data.last!, 0, 0.9)
        for alpha in DampedTrendForecaster.alphas {
            for beta in DampedTrendForecaster.betas {
                for phi in DampedTrendForecaster.phis {
                    var level = data[0], trend = data[1] - data[0], error = 0.0
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
        var damping = 0.0, power = 1.0
        return (0..<horizon).map { _ in
            power *= best.phi
            damping += power
            return best.level + damping * best.trend
        }
    }
}

@Suite struct ShortCycleTests {
    @Test("a weekly cycle of daily points (period 7, more harmonics than the cycle holds) forecasts without trapping")
    func dailyPointsWeeklyCycle() {
        let history = (0..<21).map { 100 + 30 * sin(2 * Double.pi * Double($0) / 7) }
        let forecast = AutoForecaster(period: 7).forecast(history, horizon: 9, quantiles: [0.1, 0.9])
        #expect(forecast.point.count == 9)
        for step in 0..<9 { #expect(abs(forecast.point[step] - (100 + 30 * sin(2 * Double.pi * Double(21 + step) / 7))) < 1, "\(forecast.model) step \(step)") }
    }
}
