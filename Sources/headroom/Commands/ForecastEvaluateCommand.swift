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
                Uses the split and the metrics of the traces' BASELINES.md (MASE, sMAPE, 80 %/90 % coverage and width, MSIS) and prints Headroom's row under the baselines' rows read from that file.

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
            var series: [RegularSeries] = []
            for file in files {
                let path = "\(traces)/\(file)"
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
                series.append(try TimeValueCSV.parse(text, file: path))
            }
            let started = ContinuousClock.now
            let evaluation = ForecastEvaluation.evaluate(series) { AutoForecaster(period: $0, origins: origins, cycleThreshold: cycleThreshold) }
            let seconds = (ContinuousClock.now - started).secondsValue
            let row = String(format: "| Headroom AutoForecaster | %.3f | %d/%d | %d/%d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |",
                             seconds, evaluation.scores.count, files.count, evaluation.points, evaluation.points,
                             evaluation.meanMASE, evaluation.medianMASE, evaluation.meanSMAPE, evaluation.meanCoverage80, evaluation.medianWidth80,
                             evaluation.meanCoverage90, evaluation.medianWidth90, evaluation.medianMSIS90)
            var lines = baselineRows()
            if lines.isEmpty { lines = ["| model | fit+forecast_s | n | points_scored | MASE_mean | MASE_median | sMAPE_mean | cov80 | w80_med | cov90 | w90_med | MSIS90_med |", "|---|---|---|---|---|---|---|---|---|---|---|---|"] }
            print((lines + [row]).joined(separator: "\n"))
            print("\nmodels chosen: " + evaluation.models.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            guard check else { return }
            let best = ForecastEvaluation.bestBaselines(lines)
            let checks = evaluation.checks(bestMeanMASE: best.meanMASE, bestMedianMASE: best.medianMASE)
            for check in checks { print("\(check.passed ? "PASS" : "FAIL") \(check.description)") }
            if checks.contains(where: { !$0.passed }) { throw PolicyViolation(message: "the forecaster misses the bar of BASELINES.md") }
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
