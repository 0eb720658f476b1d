import ArgumentParser
import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomEngine
import HeadroomForecast
import HeadroomHistory

/// `headroom forecast`: quantile forecasts of CSV series or stored history.
struct ForecastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast series with calibrated quantiles (model chosen per series by backtest).",
        discussion: """
            Input: a CSV file with the header timestamp,value (unix seconds on a regular step; missing rows are gaps) or a directory of them (the series name is the file name without .csv), or stored history with --db and a workload selector. Output CSV header: series,timestamp,p50,… with one column per other requested quantile (p05, p10, p90, p97.5…), one row per future step.

            Per series, seasonal models (seasonal naive, cycle profiles, Fourier regression on LAPACK) are offered when a daily cycle is found, exponential smoothing with damped trend and a level model always; the one with the smallest error over backtests from the last two days wins, and its out-of-sample errors give the quantiles. A bad file is reported as FILE:LINE: reason and the others still forecast (exit code 1 at the end).

            Examples:
              headroom forecast --input traces/ --horizon 1d \\
                --quantiles 0.1,0.5,0.9 --output forecast.csv
              headroom forecast --db headroom.sqlite --namespace production \\
                --workload api-gateway --resource cpu --horizon 7d --output api-cpu.csv
              headroom forecast evaluate --traces ../shared/data/traces
            """,
        subcommands: [Run.self, Evaluate.self],
        defaultSubcommand: Run.self
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Forecast (the default).")

        @Option(help: ArgumentHelp("CSV file or directory of CSV files with timestamp,value.", valueName: "path"))
        var input: String?

        @Option(help: ArgumentHelp("History store to forecast from (with --workload).", valueName: "path"))
        var db: String?

        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Namespace of the stored workload.") var namespace: String?
        @Option(help: "Stored workload name.") var workload: String?
        @Option(help: "Container (default: every container of the workload).") var container: String?
        @Option(help: "cpu (millicores per pod) or memory (bytes per pod).") var resource: ResourceKind = .cpu

        @Option(help: "How far ahead, such as 1d or 7d.")
        var horizon: String = "1d"

        @Option(help: "Comma-separated quantiles in (0, 1); p50 is always written.")
        var quantiles: String = "0.1,0.5,0.9"

        @Option(help: ArgumentHelp("Output CSV file.", valueName: "file"))
        var output: String

        /// `--output` names the forecast CSV here (the interface other tools script), so the
        /// summary's format is `--format` instead of the usual `-o`.
        @Option(help: "Summary format on stdout: table, json or yaml.")
        var format: OutputFormat = .table

        func validate() throws {
            guard (input == nil) != (db == nil) else { throw ValidationError("give exactly one of --input PATH or --db PATH") }
            if db != nil && workload == nil { throw ValidationError("--db needs --workload (and usually --namespace)") }
            do { _ = try DurationParser.seconds(horizon) } catch { throw ValidationError(error.description) }
            _ = try parsedQuantiles()
        }

        func parsedQuantiles() throws -> [Double] {
            var values: [Double] = []
            for part in quantiles.split(separator: ",") {
                guard let q = Double(part.trimmingCharacters(in: .whitespaces)), q > 0, q < 1 else {
                    throw ValidationError("--quantiles: \"\(part)\" is not a number in (0, 1)")
                }
                values.append(q)
            }
            guard !values.isEmpty else { throw ValidationError("--quantiles is empty") }
            return values
        }

        func run() async throws {
            let requested = try parsedQuantiles()
            let others = requested.filter { $0 != 0.5 }.reduce(into: [Double]()) { if !$0.contains($1) { $0.append($1) } }
            let horizonSeconds = try DurationParser.seconds(horizon)
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw ValidationError("cannot write \(output)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            defer { try? handle.close() }
            try handle.write(contentsOf: Data((["series", "timestamp", "p50"] + others.map(ForecastCSV.columnName)).joined(separator: ",").utf8 + [0x0a]))

            var summaries: [ForecastSummary] = []
            var failures: [String] = []
            let inputs = try await seriesInputs()
            for (index, entry) in inputs.enumerated() {
                printError("forecast: \(index + 1)/\(inputs.count) \(entry.name)")
                let series: RegularSeries
                do {
                    series = try await entry.load()
                } catch {
                    printError("\(error)")
                    failures.append(entry.name)
                    continue
                }
                guard let result = SeriesForecast.forecast(series, horizonSeconds: horizonSeconds, quantiles: others) else {
                    printError("\(entry.name): no observed values")
                    failures.append(entry.name)
                    continue
                }
                try handle.write(contentsOf: Data(ForecastCSV.rows(series: entry.name, last: series.end - series.step, step: series.step,
                                                                    result: result, quantiles: others).utf8))
                summaries.append(ForecastSummary(series: entry.name, model: result.model, backtestMAE: result.backtestMAE,
                                                 seasonal: result.seasonal, gaps: series.gapCount, notes: result.notes))
            }
            print(try Render.output(summaries, format: format) {
                var table = TextTable(headers: ["SERIES", "MODEL", "BACKTEST MAE", "CYCLE", "GAPS", "NOTES"])
                table.rightAligned = [2, 4]
                table.rows = summaries.map { [$0.series, $0.model, $0.backtestMAE.map { String(format: "%.4g", $0) } ?? "-",
                                               $0.seasonal ? "daily" : "none", String($0.gaps), $0.notes.joined(separator: "; ")] }
                return table.render() + "wrote \(summaries.count) series to \(output)\n"
            }, terminator: "")
            if !failures.isEmpty {
                throw PartialFailure(message: "\(failures.count) of \(inputs.count) series could not be forecast: \(failures.joined(separator: ", "))")
            }
        }

        struct SeriesInput {
            var name: String
            var load: () async throws -> RegularSeries
        }

        private func seriesInputs() async throws -> [SeriesInput] {
            if let input {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                    throw ValidationError("\(input): no such file or directory")
                }
                let files = isDirectory.boolValue
                    ? try FileManager.default.contentsOfDirectory(atPath: input).filter { $0.hasSuffix(".csv") }.sorted().map { "\(input)/\($0)" }
                    : [input]
                return files.map { path in
                    SeriesInput(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension) {
                        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                            throw ImportError(file: path, line: nil, reason: "cannot be read as UTF-8 text")
                        }
                        return try TimeValueCSV.parse(text, file: path)
                    }
                }
            }
            let engine = try await cluster.engine(StoreOptions(db: db))
            let selected = try await EngineCall.run {
                try await engine.containers(matching: ContainerSelector(namespace: namespace, workload: workload ?? "", container: container))
            }
            return selected.containers.map { id in
                SeriesInput(name: "\(id)/\(resource.rawValue)") {
                    try await engine.store.series(id, resource: resource, statistic: .mean, from: selected.window.lowerBound, to: selected.window.upperBound,
                                                  resolution: .fiveMinutes)
                }
            }
        }
    }
}

/// One line of `headroom forecast`'s summary.
struct ForecastSummary: Encodable {
    var series: String
    var model: String
    var backtestMAE: Double?
    var seasonal: Bool
    var gaps: Int
    var notes: [String]
}

/// Some inputs failed while others succeeded: exit code 1 after writing what could be written.
struct PartialFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension ResourceKind: ExpressibleByArgument {}

/// Formatting of the forecast CSV.
enum ForecastCSV {
    /// `p` + the percent with at least two digits: 0.05 → p05, 0.1 → p10, 0.975 → p97.5.
    static func columnName(_ quantile: Double) -> String {
        let percent = (quantile * 100 * 1e6).rounded() / 1e6
        if percent == percent.rounded() {
            let whole = Int(percent)
            return whole < 10 ? "p0\(whole)" : "p\(whole)"
        }
        var text = String(percent)
        if percent < 10 { text = "0" + text }
        return "p" + text
    }

    static func rows(series: String, last: Int64, step: Int64, result: ForecastResult, quantiles: [Double]) -> String {
        var text = ""
        for index in result.point.indices {
            text += "\(series),\(last + Int64(index + 1) * step),\(format(result.point[index]))"
            for q in quantiles { text += ",\(format(result.quantiles[q]?[index] ?? .nan))" }
            text += "\n"
        }
        return text
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1e6).rounded() / 1e6
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
    }
}
