import Foundation
import HeadroomCore
import HeadroomForecast
import Testing

@Suite struct ForecastEvaluationTests {
    @Test("the best baselines are the smallest mean and median MASE of the table's rows")
    func baselines() {
        let table = ["| model | s | n | points | MASE_mean | MASE_median |", "|---|---|---|---|---|---|",
                     "| A | 1 | 3/3 | 9/9 | 1.2 | 0.9 |", "| B | 1 | 3/3 | 9/9 | 1.1 | 1.3 |"]
        let best = ForecastEvaluation.bestBaselines(table)
        #expect(best.meanMASE == 1.1 && best.medianMASE == 0.9)
    }

    @Test("a clean daily cycle is forecast far better than seasonal naive's bar, and the check says so")
    func cycle() {
        var random = SplitMix64(seed: 3)
        var values: [Double?] = []
        for hour in 0..<(6 * 24) {
            let phase = Double(hour % 24) / 24 * 2 * Double.pi
            values.append(10 + 5 * sin(phase) + 0.2 * random.nextGaussian())
        }
        let evaluation = ForecastEvaluation.evaluate([RegularSeries(start: 0, step: 3600, values: values)]) { AutoForecaster(period: $0) }
        #expect(evaluation.scores.count == 1 && evaluation.offered == 1)
        let checks = evaluation.checks(bestMeanMASE: 1.0, bestMedianMASE: 1.0)
        #expect(checks[0].passed && checks[1].passed && checks[3].passed, "\(checks)")
    }
}
