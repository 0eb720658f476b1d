/// Accuracy of one held-out forecast, in the definitions of `shared/data/traces/BASELINES.md`:
/// MASE against the in-sample seasonal-naive MAE, sMAPE in percent (0–200), coverage and width of
/// the 80 % (p10–p90) and 90 % (p05–p95) intervals (widths divided by the MASE scale), and the
/// scaled interval score of the 90 % interval (M4 MSIS). Absent test points are not scored.
public struct ForecastScore: Sendable, Hashable {
    public var mase: Double
    public var smape: Double
    public var coverage80: Double
    public var width80: Double
    public var coverage90: Double
    public var width90: Double
    public var msis90: Double
    public var points: Int

    /// - Parameters:
    ///   - training: the raw training values (nil = gap) for the seasonal-naive scale.
    ///   - actual: held-out values (nil = gap), aligned with the forecasts.
    ///   - bands: (p05, p10, p90, p95) per step.
    public static func score(training: [Double?], period: Int, actual: [Double?], point: [Double],
                             bands: (p05: [Double], p10: [Double], p90: [Double], p95: [Double])) -> ForecastScore? {
        var scaleSum = 0.0
        var scaleCount = 0
        if training.count > period {
            for index in period..<training.count {
                if let now = training[index], let before = training[index - period] {
                    scaleSum += abs(now - before)
                    scaleCount += 1
                }
            }
        }
        guard scaleCount > 0 else { return nil }
        let scale = max(scaleSum / Double(scaleCount), 1e-12)
        var absolute = 0.0, smape = 0.0, in80 = 0, in90 = 0, width80 = 0.0, width90 = 0.0, interval = 0.0
        var count = 0
        for index in actual.indices {
            width80 += bands.p90[index] - bands.p10[index]
            width90 += bands.p95[index] - bands.p05[index]
            guard let y = actual[index] else { continue }
            let f = point[index]
            count += 1
            absolute += abs(y - f)
            let denominator = abs(y) + abs(f)
            smape += denominator == 0 ? 0 : 200 * abs(y - f) / denominator
            if y >= bands.p10[index] && y <= bands.p90[index] { in80 += 1 }
            if y >= bands.p05[index] && y <= bands.p95[index] { in90 += 1 }
            let lower = bands.p05[index], upper = bands.p95[index]
            interval += (upper - lower) + (y < lower ? 20 * (lower - y) : 0) + (y > upper ? 20 * (y - upper) : 0)
        }
        guard count > 0 else { return nil }
        let n = Double(count), steps = Double(actual.count)
        return ForecastScore(mase: absolute / n / scale, smape: smape / n, coverage80: Double(in80) / n, width80: width80 / steps / scale,
                             coverage90: Double(in90) / n, width90: width90 / steps / scale, msis90: interval / n / scale, points: count)
    }
}
