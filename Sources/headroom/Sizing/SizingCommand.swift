import ArgumentParser
import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomRecommend

/// `headroom sizing`: how sizing fares out of sample.
struct SizingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sizing",
        abstract: "Evaluate request sizing out of sample against the percentile rules and the VPA.",
        subcommands: [SizingEvaluateCommand.self]
    )
}

/// `headroom sizing evaluate --traces DIR`: the out-of-sample sizing protocol.
struct SizingEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Size each trace from its training days, score the requests on the 2 days that follow.",
        discussion: """
            Data: every entity of DIR/series.tsv with both a cpu_util and a mem_util series in percent whose shared 5-minute bins span at least 7.9 days, as one container: CPU cores = pct/100 × 4, memory = pct/100 × 8 GiB. The last 576 shared bins (2 days) are the evaluation window, up to 4,032 before them the training.

            Headroom sizes each container from training only, through the code path advise uses (current requests 2 cores and 8 GiB, memory limit 8 GiB): the default risk target first, then each --calibration target. Baselines from the same training data: training p90…p100 × 1.0…1.3 (KRR's simple strategy among them) and the upstream VPA recommender. Scores: CPU overrun (% of evaluation buckets above the request), CPU shortfall (Σ usage above the request ÷ Σ usage), the worst container's overrun (idle ones aside), OOM buckets (memory above the limit), cores and GiB. The baselines' lower envelope is the frontier; "saved" is (frontier − cores) ÷ frontier at the row's own overrun or shortfall.

            Exit codes: 0 evaluated (and with --check, every gate passed); 2 bad flags, an unreadable trace (FILE:LINE: reason) or none to evaluate; 3 with --check, a gate failed.

            Examples:
              headroom sizing evaluate --traces ../shared/data/traces
              headroom sizing evaluate --traces ../shared/data/traces --check
              headroom sizing evaluate --traces ../shared/data/traces \\
                --include-forecast -o json
            """
    )

    @Option(help: ArgumentHelp("Folder with series.tsv and its timestamp,value CSV files.", valueName: "dir"))
    var traces: String

    @Option(help: ArgumentHelp("Further CPU risk targets to evaluate, comma-separated (1% or 0.01).", valueName: "risks"))
    var calibration: String = "1%,5%"

    @Option(name: .customLong("memory-risk"), help: ArgumentHelp("Memory risk target of every Headroom row (default: the policy's).", valueName: "risk"))
    var memoryRisk: String?

    @Flag(help: "Also evaluate the forecast strategy (slower).")
    var includeForecast = false

    @Flag(help: "Exit 3 unless the default is not dominated by the frontier (at its overrun and its shortfall), has 0 OOM buckets and no non-idle container above 10 % overrun, and every calibration target realises 0.5–1.5× itself.")
    var check = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var jobs: JobsOption

    func validate() throws {
        _ = try calibrationTargets()
        _ = try memoryRiskTarget()
    }

    private func memoryRiskTarget() throws -> Double? {
        do { return try memoryRisk.map { try SizingOverride.risk($0, key: "--memory-risk") } } catch { throw ValidationError("\(error)") }
    }

    private func calibrationTargets() throws -> [Double] {
        do {
            return try calibration.split(separator: ",").map { try SizingOverride.risk(String($0), key: "--calibration") }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        let loaded = try SizingTraceFolder.load(traces)
        for skipped in loaded.skipped { printError("skipped \(skipped)") }
        guard !loaded.traces.isEmpty else { throw ValidationError("no entity in \(traces)/series.tsv qualifies (cpu_util and mem_util over at least 7.9 days)") }
        var variants = [SizingEvaluation.Variant(strategy: .risk)] + (try calibrationTargets()).map { SizingEvaluation.Variant(strategy: .risk, cpuRisk: $0) }
        if includeForecast { variants.append(.init(strategy: .forecast)) }
        printError("sizing \(loaded.traces.count) containers (\(variants.count) Headroom variants, \(SizingEvaluation.quantiles.count * SizingEvaluation.multipliers.count) percentile rules, the VPA)…")
        let evaluation = try await SizingEvaluation.evaluate(loaded.traces, variants: variants, memoryRisk: try memoryRiskTarget(), jobs: jobs.count)
        print(try Render.output(evaluation, format: output.format) { evaluation.table }, terminator: "")
        guard check else { return }
        let checks = evaluation.checks
        for gate in checks { printError("\(gate.passed ? "PASS" : "FAIL") \(gate.description)") }
        if checks.contains(where: { !$0.passed }) { throw PolicyViolation(message: "sizing misses a gate of the out-of-sample protocol") }
    }
}

extension SizingEvaluation {
    /// Headroom's rows, KRR's rule, the VPA and the frontier's points, one line each.
    var table: String {
        var table = TextTable(headers: ["sizing", "cores", "overrun %", "shortfall %", "worst %", "worst container", "OOM", "memory GiB",
                                        "saved @overrun", "saved @shortfall"], rightAligned: [1, 2, 3, 4, 6, 7, 8, 9])
        func saved(_ share: Double?) -> String { share.map { String(format: "%+.1f %%", $0 * 100) } ?? "" }
        func add(_ score: SizingScore, _ atOverrun: Double?, _ atShortfall: Double?) {
            table.rows.append([score.name, String(format: "%.2f", score.cores), String(format: "%.2f", score.cpuOverrunPercent),
                               String(format: "%.3f", score.cpuShortfallPercent), String(format: "%.1f", score.worstOverrunPercent),
                               score.worstContainer ?? "", String(score.oomBuckets), String(format: "%.1f", score.memoryGiB),
                               saved(atOverrun), saved(atShortfall)])
        }
        for row in headroom { add(row.score, row.savedAtOverrun, row.savedAtShortfall) }
        for baseline in [krr, vpa] {
            add(baseline, overrunFrontier.savedShare(cores: baseline.cores, at: baseline.cpuOverrunPercent),
                shortfallFrontier.savedShare(cores: baseline.cores, at: baseline.cpuShortfallPercent))
        }
        let onFrontier = Set(overrunFrontier.points.map(\.name))
        for score in percentile.sorted(by: { $0.cpuOverrunPercent > $1.cpuOverrunPercent }) where onFrontier.contains(score.name) {
            var point = score
            point.name = "frontier: " + score.name
            add(point, nil, nil)
        }
        return table.render() + "\n\(containers.count) containers (\(idle.count) idle: \(idle.joined(separator: ", "))); the frontier rows are the baselines on the overrun envelope.\n"
    }
}
