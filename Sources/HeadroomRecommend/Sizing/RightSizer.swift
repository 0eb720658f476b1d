import HeadroomCore
import HeadroomForecast

/// One container's usage history and declared state, as right-sizing needs them.
public struct SizingInput: Sendable {
    public var container: ContainerID
    /// Per-pod CPU, millicores, 5-minute means, gaps filled.
    public var cpu: [Double]
    /// Per-pod memory working set, bytes, 5-minute maxima, gaps filled.
    public var memoryPeaks: [Double]
    public var current: InventoryRecord?
    /// Working set at each OOM kill (the limit when unknown).
    public var oomKillBytes: [Double]
    /// CPU over the last week as recorded (gaps not filled): the idle rule's evidence. Nil: taken
    /// from `cpu`, as if fully covered.
    public var recentActivity: CPUActivity?

    public init(container: ContainerID, cpu: [Double], memoryPeaks: [Double], current: InventoryRecord?, oomKillBytes: [Double],
                recentActivity: CPUActivity? = nil) {
        self.recentActivity = recentActivity
        self.container = container
        self.cpu = cpu
        self.memoryPeaks = memoryPeaks
        self.current = current
        self.oomKillBytes = oomKillBytes
    }
}

/// A right-sizing recommendation with the reasons behind it.
public struct SizingRecommendation: Sendable, Hashable {
    public var container: ContainerID
    public var requests: ResourceAmounts
    public var limits: ResourceAmounts
    /// Forecast models behind the CPU and memory figures.
    public var cpuModel: String
    public var memoryModel: String
    /// The forecast figures behind the requests.
    public var evidence: SizingEvidence
    public var notes: [String]
}

/// The `forecast` strategy: requests cover the peak of the `quantile` forecast of the coming
/// week (at least the last week's own `quantile`) plus a margin; memory also never goes below the highest working set already seen (memory
/// cannot be borrowed: the replayed history must not OOM) nor below an OOM kill plus the bump;
/// limits by policy. A CPU request under an HPA that scales on CPU is left to the
/// HPA: changing it would move the HPA's target.
public enum RightSizer {
    public static func recommend(_ input: SizingInput, policy: SizingPolicy = SizingPolicy(),
                                 forecaster: AutoForecaster = AutoForecaster()) -> SizingRecommendation {
        var notes: [String] = []
        // The 0.9 band is also the next hour's p90 that every output shows beside the request.
        let quantiles = Array(Set([policy.quantile, 0.9])).sorted()
        let cpuForecast = forecaster.forecast(input.cpu, horizon: policy.horizonSteps, quantiles: quantiles)
        let memoryForecast = forecaster.forecast(input.memoryPeaks, horizon: policy.horizonSteps, quantiles: quantiles)
        let cpuPath = cpuForecast.quantiles[policy.quantile] ?? cpuForecast.point
        let memoryPath = memoryForecast.quantiles[policy.quantile] ?? memoryForecast.point

        // The forecast repeats recent days; a week that ends on a quiet weekend would under-size the
        // next weekdays, so the p90 of the last week's 5-minute means is a floor.
        let recentP90 = Percentile.of(Array(input.cpu.suffix(2016)), policy.quantile) ?? 0
        let cpuFigure = max(cpuPath.max() ?? 0, recentP90) * (1 + policy.margin)
        let observedPeak = input.memoryPeaks.max() ?? 0
        let memoryFigure = max(memoryPath.max() ?? 0, observedPeak) * (1 + policy.margin)
        let outcome = SizingRules.apply(cpuMillicores: cpuFigure, memoryBytes: memoryFigure, input: input, policy: policy, notes: &notes)
        return SizingRecommendation(container: input.container, requests: outcome.requests, limits: outcome.limits,
                                    cpuModel: cpuForecast.model, memoryModel: memoryForecast.model,
                                    evidence: SizingEvidence(
                                        cpu: .init(model: cpuForecast.model, quantile: policy.quantile, forecastPeakMillicores: cpuPath.max() ?? 0,
                                                   recentQuantileMillicores: recentP90, margin: policy.margin, horizonSteps: policy.horizonSteps,
                                                   nextHour: .init(cpuForecast)),
                                        memory: .init(model: memoryForecast.model, quantile: policy.quantile, forecastPeakBytes: memoryPath.max() ?? 0,
                                                      observedPeakBytes: observedPeak, oomFloorBytes: outcome.oomFloor, margin: policy.margin,
                                                      horizonSteps: policy.horizonSteps, nextHour: .init(memoryForecast))),
                                    notes: notes)
    }
}
