import ArgumentParser
import Foundation
import HeadroomConfig
import HeadroomCore
import HeadroomEngine
import HeadroomRecommend

/// How containers and pools are sized, shared by `advise` and `assess`: windows, strategy,
/// overrides, DaemonSet overhead, reserve and parallelism.
struct SizingOptions: ParsableArguments {
    @Option(help: "History to forecast from.") var since: String = "14d"
    @Option(help: "Window the risk and the HPA are replayed over.") var replay: String = "7d"
    @Option(help: "forecast (default: forecast quantiles of the coming week) or vpa (the upstream recommender's target from the same history).")
    var strategy: ContainerAdvisor.Strategy = .forecast
    @Option(help: "Sizing overrides file (YAML).") var overrides: String?
    @Option(name: .customLong("daemonset-overhead"), help: "Extra per-node requests of DaemonSets not in the inventory, as cpu=Q,memory=Q.")
    var daemonSetOverhead: String?
    @Option(help: "Percent of each node kept free after DaemonSets (failover/surge headroom).") var reserve: Double = 0
    @OptionGroup var jobs: JobsOption

    func validate() throws {
        for text in [since, replay] {
            do { _ = try DurationParser.seconds(text) } catch { throw ValidationError(error.description) }
        }
        guard (0..<100).contains(reserve) else { throw ValidationError("--reserve \(reserve) must be a percentage in [0, 100)") }
        _ = try parsedOverhead()
    }

    /// `cpu=150m,memory=200Mi` → amounts.
    func parsedOverhead() throws -> ResourceAmounts {
        guard let daemonSetOverhead else { return .none }
        var amounts = ResourceAmounts()
        for part in daemonSetOverhead.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            do {
                switch pair.first {
                case "cpu" where pair.count == 2: amounts.cpu = try CPUQuantity(parsing: pair[1])
                case "memory" where pair.count == 2: amounts.memory = try MemoryQuantity(parsing: pair[1])
                default: throw ValidationError("--daemonset-overhead: \"\(part)\" must be cpu=QUANTITY or memory=QUANTITY")
                }
            } catch let error as QuantityParseError {
                throw ValidationError("--daemonset-overhead: \(error)")
            }
        }
        return amounts
    }


    /// The engine's advice options from these flags (no catalog, all namespaces).
    func adviceOptions() throws -> AdviceOptions {
        var options = AdviceOptions()
        options.strategy = strategy
        options.historySeconds = try DurationParser.seconds(since)
        options.replaySeconds = try DurationParser.seconds(replay)
        options.overrides = try loadOverrides(overrides)
        options.daemonSetOverhead = try parsedOverhead()
        options.reserve = reserve / 100
        options.jobs = jobs.count
        return options
    }
}

extension ContainerAdvisor.Strategy: ExpressibleByArgument {}

/// The sizing overrides file's rules (none without a file); a bad file fails at its line.
func loadOverrides(_ path: String?) throws -> SizingOverrides {
    do { return try path.map(SizingOverridesFile.load) ?? SizingOverrides() } catch {
        throw ValidationError(error.description)
    }
}
