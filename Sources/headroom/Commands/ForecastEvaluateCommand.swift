import ArgumentParser
import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomForecast

extension ForecastCommand {
    /// `headroom forecast evaluate`: the held-out-day evaluation of BASELINES.md on a trace folder.
    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score the forecaster on a folder of traces (last day held out) next to the baselines.",
            discussion: """
                Uses the split and the metrics of the traces' BASELINES.md (MASE, sMAPE, 80 %/90 % coverage and
                width, MSIS) and prints Headroom's row under the baselines' rows read from that file.

                Example:
                  headroom forecast evaluate --traces ../shared/data/traces
                """
        )

        @Option(help: ArgumentHelp("Folder of timestamp,value CSV traces (with BASELINES.md).", valueName: "dir"))
        var traces: String

        @Option(help: "Backtest origins per series (errors for the quantiles come from all of them).")
        var origins: Int = AutoForecaster().origins

        @Option(help: "Autocorrelation at one day from which a series counts as cyclic.")
        var cycleThreshold: Double = AutoForecaster().cycleThreshold

        @Flag(help: "Exit 3 unless mean and median MASE beat the best baselines and 80 % coverage is within 75–85 %.")
        var check = false

        func run() async throws {
            let files = try FileManager.default.contentsOfDirectory(atPath: traces)
                .filter { $0.hasSuffix(".csv") && !$0.hasPrefix("baselines") }.sorted()
            guard !files.isEmpty else { throw ValidationError("no .csv traces in \(traces)") }
            let started = ContinuousClock.now
            var scores: [ForecastScore] = []
            var models: [String: Int] = [:]
            for file in files {
                let path = "\(traces)/\(file)"
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
                let series = try TimeValueCSV.parse(text, file: path)
                let period = Int(86_400 / series.step)
                guard series.values.count > 2 * period else { continue }
                let training = Array(series.values.dropLast(period))
                let actual = Array(series.values.suffix(period))
                guard let filled = GapFilling.linear(RegularSeries(start: series.start, step: series.step, values: training)) else { continue }
                let result = AutoForecaster(period: period, origins: origins, cycleThreshold: cycleThreshold).forecast(filled, horizon: period, quantiles: [0.05, 0.1, 0.5, 0.9, 0.95])
                models[result.model.split(separator: "(").first.map(String.init) ?? result.model, default: 0] += 1
                if let score = ForecastScore.score(training: training, period: period, actual: actual, point: result.point,
                                                   bands: (result.quantiles[0.05]!, result.quantiles[0.1]!, result.quantiles[0.9]!, result.quantiles[0.95]!)) {
                    scores.append(score)
                }
            }
            let seconds = (ContinuousClock.now - started).secondsValue
            func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }
            func median(_ values: [Double]) -> Double { Percentile.of(values, 0.5) ?? .nan }
            let points = scores.reduce(0) { $0 + $1.points }
            let row = String(format: "| Headroom AutoForecaster | %.3f | %d/%d | %d/%d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |",
                             seconds, scores.count, files.count, points, points,
                             mean(scores.map(\.mase)), median(scores.map(\.mase)), mean(scores.map(\.smape)),
                             mean(scores.map(\.coverage80)), median(scores.map(\.width80)),
                             mean(scores.map(\.coverage90)), median(scores.map(\.width90)), median(scores.map(\.msis90)))
            var lines = baselineRows()
            if lines.isEmpty { lines = ["| model | fit+forecast_s | n | points_scored | MASE_mean | MASE_median | sMAPE_mean | cov80 | w80_med | cov90 | w90_med | MSIS90_med |", "|---|---|---|---|---|---|---|---|---|---|---|---|"] }
            print((lines + [row]).joined(separator: "\n"))
            print("\nmodels chosen: " + models.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            guard check else { return }
            // Columns of the baseline rows: model, time, n, points, MASE_mean, MASE_median, …
            let baselines = lines.dropFirst(2).map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
            let bestMean = baselines.compactMap { $0.count > 5 ? Double($0[4]) : nil }.min() ?? .infinity
            let bestMedian = baselines.compactMap { $0.count > 5 ? Double($0[5]) : nil }.min() ?? .infinity
            let ours = (mean: mean(scores.map(\.mase)), median: median(scores.map(\.mase)), coverage: mean(scores.map(\.coverage80)))
            let checks = [
                (String(format: "mean MASE %.3f < best baseline %.3f", ours.mean, bestMean), ours.mean < bestMean),
                (String(format: "median MASE %.3f < best baseline %.3f", ours.median, bestMedian), ours.median < bestMedian),
                (String(format: "80 %% interval coverage %.3f within [0.75, 0.85]", ours.coverage), (0.75...0.85).contains(ours.coverage)),
                ("all \(files.count) series scored", scores.count == files.count),
            ]
            for (text, passed) in checks { print("\(passed ? "PASS" : "FAIL") \(text)") }
            if checks.contains(where: { !$0.1 }) { throw PolicyViolation(message: "the forecaster misses the bar of BASELINES.md") }
        }

        /// The header and rows of the first table in BASELINES.md, read at run time (not copied).
        private func baselineRows() -> [String] {
            guard let text = try? String(contentsOfFile: "\(traces)/BASELINES.md", encoding: .utf8) else { return [] }
            var rows: [String] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("|") { rows.append(String(line)) } else if !rows.isEmpty { break }
            }
            return rows
        }
    }
}
