import CLapack
import Foundation

/// Multiple seasonality by harmonic regression: a linear trend plus `harmonics` sine/cosine
/// pairs of the daily period and `weeklyHarmonics` of the weekly one (when two weeks are
/// available), fitted by least squares (normal equations through BLAS/LAPACK) and made robust by Huber-weighted
/// iterations (spikes get down-weighted instead of dragging the curve). The trend is damped
/// over the horizon so a fitted slope is not extrapolated blindly.
public struct FourierRegressionForecaster: Forecaster {
    public let period: Int
    public let harmonics: Int
    public let weeklyHarmonics: Int
    /// Fit on at most this many cycles of history.
    public let windowCycles: Int

    /// sin/cos of 2π·slot/cycle for one daily and one weekly cycle: harmonic k at slot s reads
    /// entry (k·s) mod cycle, so a design matrix costs no trigonometry.
    private let daily: (sine: [Double], cosine: [Double])
    private let weeklyTable: (sine: [Double], cosine: [Double])

    public init(period: Int, harmonics: Int = 8, weeklyHarmonics: Int = 3, windowCycles: Int = 14) {
        self.period = period
        self.harmonics = harmonics
        self.weeklyHarmonics = weeklyHarmonics
        self.windowCycles = windowCycles
        func table(_ cycle: Int) -> (sine: [Double], cosine: [Double]) {
            let angles = (0..<cycle).map { 2 * Double.pi * Double($0) / Double(cycle) }
            return (angles.map(sin), angles.map(cos))
        }
        daily = table(period)
        weeklyTable = weeklyHarmonics > 0 ? table(7 * period) : ([], [])
    }

    public var name: String { "fourier(\(harmonics)+\(weeklyHarmonics)w)" }
    public var isSeasonal: Bool { true }

    public func forecast(_ history: [Double], horizon: Int) -> [Double] {
        guard history.count >= period else { return LevelForecaster().forecast(history, horizon: horizon) }
        let rows = min(history.count, windowCycles * period)
        let y = Array(history.suffix(rows))
        let weekly = rows >= 14 * period ? weeklyHarmonics : 0
        // Harmonics beyond half the cycle only alias lower ones (short cycles, such as a week of days).
        let harmonics = min(self.harmonics, max(1, (period - 1) / 2))
        let columns = 2 + 2 * harmonics + 2 * weekly
        // Too few rows to fit every column with a residual to spare: the cycle profile instead.
        guard rows >= 2 * columns else {
            return SeasonalProfileForecaster(period: period, cycles: 7, statistic: .median).forecast(history, horizon: horizon)
        }
        let design = designMatrix(times: 0..<rows, harmonics: harmonics, weekly: weekly)
        // Robust fit: three rounds of Huber-weighted least squares on the same design.
        let system = ReweightedLeastSquares(columnMajor: design, rows: rows, columns: columns, rhs: y)
        var weights: [Double]?
        var coefficients: [Double] = []
        for round in 0..<3 {
            guard let solved = try? system.solve(weights: weights) else {
                return SeasonalProfileForecaster(period: period, cycles: 7, statistic: .median).forecast(history, horizon: horizon)
            }
            coefficients = solved
            guard round < 2 else { break }  // the last round's weights would go unused
            // Huber weights (k = 1.345 robust sigmas), as square roots for weighted least squares.
            // residuals = y − A·x (BLAS dgemv).
            var residuals = y
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns), -1, design, Int32(rows), coefficients, 1, 1, &residuals, 1)
            let scale = 1.4826 * median(residuals.map(abs)) + 1e-9
            weights = residuals.map { residual in
                let magnitude = abs(residual)
                return magnitude <= 1.345 * scale ? 1 : (1.345 * scale / magnitude).squareRoot()
            }
        }
        let future = designMatrix(times: rows..<(rows + horizon), harmonics: harmonics, weekly: weekly)
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
    /// Harmonics are read from the precomputed one-cycle tables.
    private func designMatrix(times: Range<Int>, harmonics: Int, weekly: Int) -> [Double] {
        let count = times.count
        let columns = 2 + 2 * harmonics + 2 * weekly
        var matrix = [Double](repeating: 0, count: count * columns)
        for (row, time) in times.enumerated() {
            matrix[row] = 1
            matrix[count + row] = Double(time) / Double(period)
        }
        func fill(firstColumn: Int, pairs: Int, table: (sine: [Double], cosine: [Double])) {
            guard pairs > 0 else { return }
            let cycle = table.sine.count
            for k in 1...pairs {
                let sineColumn = (firstColumn + 2 * (k - 1)) * count
                let cosineColumn = sineColumn + count
                // index = (k · time) mod cycle, advanced by k per row.
                // (harmonics above cycle/2 alias lower ones on short cycles; k mod cycle keeps the index in range)
                let step = k % cycle
                var index = (step * (times.lowerBound % cycle)) % cycle
                for row in 0..<count {
                    matrix[sineColumn + row] = table.sine[index]
                    matrix[cosineColumn + row] = table.cosine[index]
                    index += step
                    if index >= cycle { index -= cycle }
                }
            }
        }
        fill(firstColumn: 2, pairs: harmonics, table: daily)
        fill(firstColumn: 2 + 2 * harmonics, pairs: weekly, table: weeklyTable)
        return matrix
    }
}
