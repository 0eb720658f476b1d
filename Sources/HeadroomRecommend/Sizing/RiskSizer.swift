import HeadroomCore
import HeadroomForecast

/// The `risk` strategy (the default): the CPU request is the level the container's 5-minute
/// means will exceed in `policy.cpuRisk` of the coming horizon, estimated by `HorizonQuantile`
/// (recency-weighted quantile, a margin for the tail's estimation error, and backtests at the
/// sizing horizon); memory likewise at `policy.memoryRisk` of the 5-minute working-set maxima,
/// never below the highest working set seen plus `policy.margin` nor the OOM rule. Then the
/// rules every strategy shares (`SizingRules`). The next hour's bands, which the outputs show
/// beside the request, come from a seasonal profile (`ProfileForecast`), not a model search.
public enum RiskSizer {
    public static let model = "risk-quantile"

    public static func recommend(_ input: SizingInput, policy: SizingPolicy = SizingPolicy()) -> SizingRecommendation {
        var notes: [String] = []
        let cpu = HorizonQuantile.estimate(input.cpu, risk: policy.cpuRisk, settings: policy.risk, floor: 0.5)
        let memory = HorizonQuantile.estimate(input.memoryPeaks, risk: policy.memoryRisk, settings: policy.risk, floor: 1_048_576)
        let observedPeak = input.memoryPeaks.max() ?? 0
        let memoryFigure = max(memory.value, observedPeak * (1 + policy.margin))
        if let ratio = cpu.backtestRatio, ratio > 1 + cpu.margin {
            notes.append("CPU outgrew its history: over past \(policy.risk.horizonSteps / 288)-day horizons usage reached \(percent(ratio - 1)) above the estimate from before them (median of \(cpu.origins)), so the request adds that instead of the \(percent(cpu.margin)) margin")
        }
        let outcome = SizingRules.apply(cpuMillicores: cpu.value, memoryBytes: memoryFigure, input: input, policy: policy, notes: &notes)
        let nextHourCPU = ProfileForecast.forecast(input.cpu, period: 288, horizon: SizingEvidence.NextHour.steps, quantiles: [0.9])
        let nextHourMemory = ProfileForecast.forecast(input.memoryPeaks, period: 288, horizon: SizingEvidence.NextHour.steps, quantiles: [0.9])
        let cpuNeed = cpu.weighted * max(1, cpu.backtestRatio ?? 1)
        let memoryNeed = memory.weighted * max(1, memory.backtestRatio ?? 1)
        return SizingRecommendation(
            container: input.container, requests: outcome.requests, limits: outcome.limits, cpuModel: model, memoryModel: model,
            evidence: SizingEvidence(
                cpu: .init(model: model, quantile: 1 - policy.cpuRisk, forecastPeakMillicores: cpuNeed, recentQuantileMillicores: cpu.weighted,
                           margin: cpu.margin, horizonSteps: policy.risk.horizonSteps, nextHour: .init(nextHourCPU), horizon: cpu),
                memory: .init(model: model, quantile: 1 - policy.memoryRisk, forecastPeakBytes: memoryNeed, observedPeakBytes: observedPeak,
                              oomFloorBytes: outcome.oomFloor, margin: policy.margin, horizonSteps: policy.risk.horizonSteps,
                              nextHour: .init(nextHourMemory), horizon: memory)),
            notes: notes)
    }

    private static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }
}
