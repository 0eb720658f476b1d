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
    @Option(help: "risk (default: the level usage exceeds in --cpu-risk / --memory-risk of the coming two days), forecast (forecast quantiles of the coming week) or vpa (the upstream recommender's target from the same history).")
    var strategy: ContainerAdvisor.Strategy = .risk
    @Option(name: .customLong("cpu-risk"), help: "Share of the coming 5-minute CPU means allowed above the request, as 1% or 0.01 (risk strategy; default 0.3%; per workload: cpu-risk in overrides or the headroom.io/cpu-risk annotation).")
    var cpuRisk: String?
    @Option(name: .customLong("memory-risk"), help: "Share of the coming 5-minute working-set maxima allowed above the memory request (risk strategy; default 0.5%); the observed peak plus 15 % and the OOM rule stay floors.")
    var memoryRisk: String?
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
        _ = try basePolicy()
    }

    /// The policy before overrides: the risk targets given on the command line.
    func basePolicy() throws -> SizingPolicy {
        var policy = SizingPolicy()
        do {
            if let cpuRisk { policy.cpuRisk = try SizingOverride.risk(cpuRisk, key: "--cpu-risk") }
            if let memoryRisk { policy.memoryRisk = try SizingOverride.risk(memoryRisk, key: "--memory-risk") }
        } catch {
            throw ValidationError(error.description)
        }
        return policy
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
        options.basePolicy = try basePolicy()
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
