import Foundation
import HeadroomCore

/// The held-out-day protocol of the traces' BASELINES.md: per series, everything but the last
/// day trains the forecaster and the last day scores its point forecast and its 80 % and 90 %
/// intervals; the aggregates are the columns of the baselines' table.
public struct ForecastEvaluation: Sendable {
    public var scores: [ForecastScore]
    /// How often each model family was chosen.
    public var models: [String: Int]
    /// Series offered (scored or not).
    public var offered: Int

    public static func evaluate(_ series: [RegularSeries], forecaster: (_ period: Int) -> AutoForecaster) -> ForecastEvaluation {
        var scores: [ForecastScore] = []
        var models: [String: Int] = [:]
        for trace in series {
            let period = Int(86_400 / trace.step)
            guard trace.values.count > 2 * period else { continue }
            let training = Array(trace.values.dropLast(period))
            let actual = Array(trace.values.suffix(period))
            guard let filled = GapFilling.linear(RegularSeries(start: trace.start, step: trace.step, values: training)) else { continue }
            let result = forecaster(period).forecast(filled, horizon: period, quantiles: [0.05, 0.1, 0.5, 0.9, 0.95])
            models[result.model.split(separator: "(").first.map(String.init) ?? result.model, default: 0] += 1
            if let score = ForecastScore.score(training: training, period: period, actual: actual, point: result.point,
                                               bands: (result.quantiles[0.05]!, result.quantiles[0.1]!, result.quantiles[0.9]!, result.quantiles[0.95]!)) {
                scores.append(score)
            }
        }
        return ForecastEvaluation(scores: scores, models: models, offered: series.count)
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }
    static func median(_ values: [Double]) -> Double { Percentile.of(values, 0.5) ?? .nan }

    public var points: Int { scores.reduce(0) { $0 + $1.points } }
    public var meanMASE: Double { Self.mean(scores.map(\.mase)) }
    public var medianMASE: Double { Self.median(scores.map(\.mase)) }
    public var meanSMAPE: Double { Self.mean(scores.map(\.smape)) }
    public var meanCoverage80: Double { Self.mean(scores.map(\.coverage80)) }
    public var medianWidth80: Double { Self.median(scores.map(\.width80)) }
    public var meanCoverage90: Double { Self.mean(scores.map(\.coverage90)) }
    public var medianWidth90: Double { Self.median(scores.map(\.width90)) }
    public var medianMSIS90: Double { Self.median(scores.map(\.msis90)) }

    /// The best mean and median MASE among the rows of BASELINES.md's table (a Markdown table
    /// whose columns are model, time, n, points, MASE_mean, MASE_median, …; header rows skipped).
    public static func bestBaselines(_ rows: [String]) -> (meanMASE: Double, medianMASE: Double) {
        let cells = rows.dropFirst(2).map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        return (cells.compactMap { $0.count > 5 ? Double($0[4]) : nil }.min() ?? .infinity,
                cells.compactMap { $0.count > 5 ? Double($0[5]) : nil }.min() ?? .infinity)
    }

    /// The bar: mean and median MASE under the best baselines', 80 % coverage within 75–85 %,
    /// every series scored. Each check with its sentence.
    public func checks(bestMeanMASE: Double, bestMedianMASE: Double) -> [(description: String, passed: Bool)] {
        [
            (String(format: "mean MASE %.3f < best baseline %.3f", meanMASE, bestMeanMASE), meanMASE < bestMeanMASE),
            (String(format: "median MASE %.3f < best baseline %.3f", medianMASE, bestMedianMASE), medianMASE < bestMedianMASE),
            (String(format: "80 %% interval coverage %.3f within [0.75, 0.85]", meanCoverage80), (0.75...0.85).contains(meanCoverage80)),
            ("all \(offered) series scored", scores.count == offered),
        ]
    }
}
