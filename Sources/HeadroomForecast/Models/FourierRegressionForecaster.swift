import Foundation

/// Multiple seasonality by harmonic regression: a linear trend plus `harmonics` sine/cosine
/// pairs of the daily period and `weeklyHarmonics` of the weekly one (when two weeks are
/// available), fitted by least squares through LAPACK and made robust by Huber-weighted
/// iterations (spikes get down-weighted instead of dragging the curve). The trend is damped
/// over the horizon so a fitted slope is not extrapolated blindly.
public struct FourierRegressionForecaster: Forecaster {
    public let period: Int
    public let harmonics: Int
    public let weeklyHarmonics: Int
    /// Fit on at most this many cycles of history.
    public let windowCycles: Int

    public init(period: Int, harmonics: Int = 8, weeklyHarmonics: Int = 3, windowCycles: Int = 14) {
        self.period = period
        self.harmonics = harmonics
        self.weeklyHarmonics = weeklyHarmonics
        self.windowCycles = windowCycles
    }

    public var name: String { "fourier(\(harmonics)+\(weeklyHarmonics)w)" }
    public var isSeasonal: Bool { true }

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        guard history.count >= period else { return LevelForecaster().forecast(history, horizon: horizon) }
        let rows = min(history.count, windowCycles * period)
        let y = Array(history.suffix(rows))
        let weekly = rows >= 14 * period ? weeklyHarmonics : 0
        let columns = 2 + 2 * harmonics + 2 * weekly
        let design = designMatrix(times: 0..<rows, weekly: weekly)
        var weights = [Double](repeating: 1, count: rows)
        var coefficients: [Double] = []
        for _ in 0..<4 {
            guard let solved = try? LeastSquares.solve(columnMajor: design, rows: rows, columns: columns, rhs: y, weights: weights) else {
                return SeasonalProfileForecaster(period: period, cycles: 7, statistic: .median).forecast(history, horizon: horizon)
            }
            coefficients = solved
            // Huber weights (k = 1.345 robust sigmas), as square roots for weighted least squares.
            var residuals = [Double](repeating: 0, count: rows)
            for row in 0..<rows {
                var fitted = 0.0
                for column in 0..<columns { fitted += design[column * rows + row] * coefficients[column] }
                residuals[row] = y[row] - fitted
            }
            let scale = 1.4826 * median(residuals.map(abs)) + 1e-9
            for row in 0..<rows {
                let magnitude = abs(residuals[row])
                weights[row] = magnitude <= 1.345 * scale ? 1 : (1.345 * scale / magnitude).squareRoot()
            }
        }
        let future = designMatrix(times: rows..<(rows + horizon), weekly: weekly)
        var forecast = [Double](repeating: 0, count: horizon)
        for step in 0..<horizon {
            var value = 0.0
            for column in 0..<columns where column != 1 { value += future[column * horizon + step] * coefficients[column] }
            // Trend: the slope continues from the end of the fit, damped (φ = 0.995 per step).
            let damped = Double(rows) + 0.995 * (1 - pow(0.995, Double(step))) / (1 - 0.995)
            value += coefficients[1] * damped / Double(period)
            forecast[step] = value
        }
        return forecast
    }

    /// Columns: 1, t/period, then sin/cos of each daily and weekly harmonic (column-major).
    private func designMatrix(times: Range<Int>, weekly: Int) -> [Double] {
        let count = times.count
        let columns = 2 + 2 * harmonics + 2 * weekly
        var matrix = [Double](repeating: 0, count: count * columns)
        for (row, time) in times.enumerated() {
            let t = Double(time)
            matrix[row] = 1
            matrix[count + row] = t / Double(period)
            for k in 1...max(1, harmonics) where harmonics > 0 {
                let angle = 2 * Double.pi * Double(k) * t / Double(period)
                matrix[(2 * k) * count + row] = sin(angle)
                matrix[(2 * k + 1) * count + row] = cos(angle)
            }
            if weekly > 0 {
                for k in 1...weekly {
                    let angle = 2 * Double.pi * Double(k) * t / Double(7 * period)
                    matrix[(2 * harmonics + 2 * k) * count + row] = sin(angle)
                    matrix[(2 * harmonics + 2 * k + 1) * count + row] = cos(angle)
                }
            }
        }
        return matrix
    }
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
