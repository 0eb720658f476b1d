import Foundation
import HeadroomCore
@testable import HeadroomForecast
import HeadroomTesting
import Testing

@Suite struct AutoForecasterTests {
    let period = 288

    func sine(days: Int, offset: Int = 0) -> [Double] {
        (0..<(days * period)).map { 50 + 20 * sin(2 * Double.pi * Double($0 + offset) / Double(period)) }
    }

    @Test("a pure daily sine is recovered")
    func sineRecovered() {
        let history = sine(days: 7)
        let result = AutoForecaster(period: period).forecast(history, horizon: period, quantiles: [0.1, 0.9])
        let truth = sine(days: 1, offset: 7 * period)
        let worst = zip(result.point, truth).map { abs($0 - $1) }.max()!
        #expect(worst < 0.5, "worst error \(worst) with \(result.model)")  // exact cycle: every seasonal model repeats it
        #expect(result.seasonal)
    }

    @Test("a linear trend is extrapolated")
    func linearTrend() {
        let history = (0..<(5 * period)).map { 10 + 0.01 * Double($0) }
        let result = AutoForecaster(period: period).forecast(history, horizon: period, quantiles: [0.1, 0.9])
        let target = 10 + 0.01 * Double(6 * period - 1)
        // One day ahead the line has risen 2.88; a flat or seasonal forecast would miss by that much.
        #expect(abs(result.point.last! - target) < 0.05, "\(result.point.last!) vs \(target) with \(result.model)")
    }

    @Test("a series with no cycle is not given one")
    func noCycle() {
        var random = SplitMix64(seed: 11)
        let history = (0..<(7 * period)).map { _ in 40 + 5 * random.nextGaussian() }
        let result = AutoForecaster(period: period).forecast(history, horizon: period, quantiles: [0.1, 0.9])
        #expect(!result.seasonal)
        #expect(["ets-damped-trend", "level(12)"].contains(result.model))
        #expect(result.notes.contains { $0.hasPrefix("no cycle") })
        // A flat-ish forecast near the mean, not a wave.
        #expect(result.point.max()! - result.point.min()! < 2)
    }

    @Test("an idle series forecasts about zero")
    func idle() {
        var random = SplitMix64(seed: 5)
        let history = (0..<(7 * period)).map { _ in max(0, 0.001 * random.nextGaussian()) }
        let result = AutoForecaster(period: period).forecast(history, horizon: period, quantiles: [0.1, 0.9])
        #expect(result.point.allSatisfy { $0 < 0.01 })
        #expect(result.quantiles[0.9]!.allSatisfy { $0 < 0.01 })
    }

    @Test("under one day of history falls back to the level, and says so")
    func shortHistory() {
        let result = AutoForecaster(period: period).forecast([3, 4, 5, 4, 3, 4], horizon: 12, quantiles: [0.1, 0.9])
        #expect(result.model == "level(12)")
        #expect(result.point.allSatisfy { $0 == 4 })
        #expect(result.notes.first?.contains("shorter than one cycle") == true)
        #expect(result.backtestMAE == nil)
    }

    @Test("quantiles are ordered and cover a held-out day of the same noisy process")
    func calibration() {
        var random = SplitMix64(seed: 21)
        let all = (0..<(15 * period)).map { 100 + 30 * sin(2 * Double.pi * Double($0) / Double(period)) + 8 * random.nextGaussian() }
        let history = Array(all.prefix(14 * period))
        let actual = Array(all.suffix(period))
        let result = AutoForecaster(period: period).forecast(history, horizon: period, quantiles: [0.05, 0.1, 0.5, 0.9, 0.95])
        let p10 = result.quantiles[0.1]!, p90 = result.quantiles[0.9]!, p05 = result.quantiles[0.05]!, p95 = result.quantiles[0.95]!
        #expect(result.point.indices.allSatisfy { p05[$0] <= p10[$0] && p10[$0] <= result.point[$0] && result.point[$0] <= p90[$0] && p90[$0] <= p95[$0] })
        let covered = actual.indices.filter { actual[$0] >= p10[$0] && actual[$0] <= p90[$0] }.count
        let coverage = Double(covered) / Double(actual.count)
        // 288 points of a Gaussian process: the nominal 80 % lands within ±10 points almost surely.
        #expect(coverage > 0.7 && coverage < 0.9, "coverage \(coverage)")
        #expect(result.backtestMAE != nil && result.seasonal)
    }

    @Test("after a level shift the forecast follows the new level")
    func levelShift() {
        // Seven days around 50, then three days around 80 (a deploy that doubled traffic).
        let history = (0..<(10 * period)).map { index in
            (index < 7 * period ? 50.0 : 80.0) + 10 * sin(2 * Double.pi * Double(index) / Double(period))
        }
        let result = AutoForecaster(period: period).forecast(history, horizon: period, quantiles: [0.5])
        let mean = result.point.reduce(0, +) / Double(result.point.count)
        #expect(abs(mean - 80) < 5, "mean \(mean) with \(result.model)")
    }

    @Test("a spike does not drag the forecast")
    func spikeResistance() {
        var history = sine(days: 7)
        for index in (6 * period + 100)..<(6 * period + 106) { history[index] = 500 }
        let result = AutoForecaster(period: period).forecast(history, horizon: period, quantiles: [0.5])
        // The spike's slot next day stays near the sine, not near 500.
        #expect(result.point[100] < 80, "\(result.point[100]) with \(result.model)")
    }
}

@Suite struct NumericsTests {
    @Test("LAPACK least squares recovers an exact linear model")
    func leastSquares() throws {
        // y = 2 + 3x over x = 0…4, column-major [1…1, x…].
        let x = [0.0, 1, 2, 3, 4]
        let design = [1.0, 1, 1, 1, 1] + x
        let solution = try LeastSquares.solve(columnMajor: design, rows: 5, columns: 2, rhs: x.map { 2 + 3 * $0 })
        #expect(approximately(solution[0], 2, tolerance: 1e-10, because: "QR on a 5×2 well-conditioned system"))
        #expect(approximately(solution[1], 3, tolerance: 1e-10, because: "QR on a 5×2 well-conditioned system"))
    }

    @Test("weights down-weight a row")
    func weighted() throws {
        let design = [1.0, 1, 1]
        let solution = try LeastSquares.solve(columnMajor: design, rows: 3, columns: 1, rhs: [1, 1, 100], weights: [1, 1, 0])
        #expect(approximately(solution[0], 1, tolerance: 1e-12, because: "the outlier has zero weight"))
    }

    @Test("gaps are filled linearly, ends with the nearest value")
    func gapFilling() {
        let series = RegularSeries(start: 0, step: 300, values: [nil, 2, nil, nil, 8, nil])
        #expect(GapFilling.linear(series) == [2, 2, 4, 6, 8, 8])
        #expect(GapFilling.linear(RegularSeries(start: 0, step: 300, values: [nil, nil])) == nil)
    }

    @Test("autocorrelation finds a daily cycle and none in noise")
    func periodicity() {
        let wave = (0..<(4 * 288)).map { sin(2 * Double.pi * Double($0) / 288) }
        #expect(Periodicity.hasCycle(wave, period: 288))
        var random = SplitMix64(seed: 2)
        let noise = (0..<(4 * 288)).map { _ in random.nextGaussian() }
        #expect(!Periodicity.hasCycle(noise, period: 288))
        #expect(Periodicity.autocorrelation([1, 1, 1, 1], lag: 1) == nil)
    }
}

@Suite struct SelectionTests {
    @Test("quickselect medians equal sorted medians on random arrays, odd and even, with ties")
    func medians() {
        var random = SplitMix64(seed: 9)
        for size in [1, 2, 3, 10, 11, 100, 257] {
            for _ in 0..<20 {
                let values = (0..<size).map { _ in Double(random.next() % 50) }
                let sorted = values.sorted()
                let expected = size % 2 == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2
                #expect(median(values) == expected)
            }
        }
    }
}
