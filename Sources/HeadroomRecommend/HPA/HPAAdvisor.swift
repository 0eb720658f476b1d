import Foundation
import HeadroomCore
import HeadroomForecast

/// An HPA recommendation for one workload, with the replay behind it.
public struct HPAAdvice: Sendable, Hashable, Codable {
    /// Why the workload gets HPA advice: it has an HPA, or its demand swings enough to want one.
    public var reason: String
    public var current: HPASimulator.Configuration?
    public var currentOutcome: HPASimulator.Outcome?
    public var recommended: HPASimulator.Configuration
    public var recommendedOutcome: HPASimulator.Outcome
    /// False when no candidate kept saturation under the requirement (the least saturated is shown).
    public var meetsRequirement: Bool
    /// Minimum replicas per hour of the week (UTC, Monday 00:00 = 0) from the p90 demand
    /// forecast of the coming week; empty when the schedule would be flat.
    public var predictiveMinReplicas: [Int]
    public var predictiveSummary: [String]
}

/// HPA advice for workloads that have or should have an HPA on CPU: the recorded demand
/// (per-pod usage × replicas) replayed through the controller for the current configuration
/// and for the searched one, and a predictive minimum-replicas schedule.
public enum HPAAdvisor {
    /// Demand whose peak is this many times its median suggests an HPA where there is none.
    public static let swingForNewHPA = 2.0

    /// - Parameters:
    ///   - demand: the workload's total CPU per 5-minute step over the forecast history (gaps filled).
    ///   - replaySteps: how many of the last steps to replay.
    ///   - end: unix time just after the last step (the forecast starts there).
    public static func advise(demand: [Double], replaySteps: Int, end: Int64, requestMillicores: Double, kind: WorkloadKind,
                              replicas: Int, current: HPASpec?, search: HPATargetSearch = HPATargetSearch(),
                              forecaster: AutoForecaster = AutoForecaster()) -> HPAAdvice? {
        guard requestMillicores > 0, requestMillicores.isFinite, !demand.isEmpty, demand.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        let replay = Array(demand.suffix(replaySteps))
        var reason: String
        var currentConfiguration: HPASimulator.Configuration?
        if let current, let target = current.targetCPUUtilizationPercent, target <= 0 {
            // The API server refuses averageUtilization 0; a stored one is replayed as no HPA.
            reason = "HPA on CPU at \(target) %, which Kubernetes does not accept (the target must be above 0): not replayed; searched as a new HPA"
        } else if let current, let target = current.targetCPUUtilizationPercent {
            reason = "HPA on CPU at \(target) % (\(current.minReplicas)–\(current.maxReplicas) replicas)"
            // minReplicas 0 (HPAScaleToZero) works only with object or external metrics: on CPU a
            // workload at zero reports nothing to scale up on, so the replay keeps one pod.
            let minimum = max(1, current.minReplicas)
            if current.minReplicas < 1 { reason += "; minReplicas 0 (scale to zero) replayed from 1 pod: a CPU metric cannot wake a workload at zero" }
            currentConfiguration = .init(minReplicas: minimum, maxReplicas: max(minimum, current.maxReplicas),
                                         targetUtilization: Double(target) / 100)
        } else if current == nil, kind == .deployment, replicas >= 2,
                  let median = Percentile.of(replay, 0.5), median > 0, (replay.max() ?? 0) / median >= swingForNewHPA {
            reason = String(format: "no HPA; demand peaks at %.1f× its median", (replay.max() ?? 0) / median)
        } else {
            return nil
        }
        let floor = max(1, min(current?.minReplicas ?? replicas, 2))
        let replicas = max(1, min(replicas, InputLimits.maxReplicas))
        let choice = search.search(demand: replay, stepSeconds: 300, requestMillicores: requestMillicores, floor: floor,
                                   preferredTarget: currentConfiguration?.targetUtilization ?? 0.7)
        let currentOutcome = currentConfiguration.map {
            search.simulator.replay(demand: replay, stepSeconds: 300, requestMillicores: requestMillicores, configuration: $0,
                                    initialReplicas: replicas)
        }
        let forecast = forecaster.forecast(demand, horizon: 2016, quantiles: [0.9])
        let schedule = PredictiveMinReplicas.schedule(
            forecast: forecast.quantiles[0.9] ?? forecast.point, start: end, stepSeconds: 300, requestMillicores: requestMillicores,
            targetUtilization: choice.configuration.targetUtilization, floor: choice.configuration.minReplicas)
            .map { min($0, choice.configuration.maxReplicas) }
        let flat = Set(schedule).count <= 1
        return HPAAdvice(reason: reason, current: currentConfiguration, currentOutcome: currentOutcome,
                         recommended: choice.configuration, recommendedOutcome: choice.outcome, meetsRequirement: choice.meetsRequirement,
                         predictiveMinReplicas: flat ? [] : schedule, predictiveSummary: flat ? [] : PredictiveMinReplicas.describe(schedule))
    }
}
