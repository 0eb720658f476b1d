/// Chooses an HPA's CPU target and replica bounds by replaying recorded demand through
/// `HPASimulator`: for each candidate target the smallest minimum that keeps ready pods under
/// the saturation threshold for the required share of the time, then the candidate with the
/// fewest replica-hours. The maximum leaves 25 % above the replayed peak so growth is not capped.
public struct HPATargetSearch: Sendable {
    public struct Choice: Sendable, Hashable, Codable {
        public var configuration: HPASimulator.Configuration
        public var outcome: HPASimulator.Outcome
        /// False when no candidate met the saturation requirement (the least saturated is returned).
        public var meetsRequirement: Bool
        public var simulations: Int
    }

    public var simulator = HPASimulator()
    public var targets: [Double] = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85]
    /// Share of controller ticks that must stay under the saturation threshold.
    public var requiredUnsaturated = 0.99
    public var maxHeadroom = 1.25

    public init() {}

    /// - Parameters:
    ///   - demand: the workload's total CPU (millicores) per step.
    ///   - floor: the fewest replicas to ever run (availability: 2 keeps a pod during a rollout or a node drain).
    ///   - preferredTarget: breaks ties in replica-hours (a workload whose floor decides everything
    ///     keeps a target near its current one instead of the first candidate).
    public func search(demand: [Double], stepSeconds: Double, requestMillicores: Double, floor: Int, preferredTarget: Double = 0.7) -> Choice {
        let peakDemand = demand.max() ?? 0
        let ceiling = max(floor, Int((peakDemand / (requestMillicores * (targets.min() ?? 0.5))).rounded(.up)) + 2)
        var best: Choice?
        var fallback: Choice?
        var simulations = 0
        for target in targets {
            for minimum in floor...ceiling {
                let configuration = HPASimulator.Configuration(minReplicas: minimum, maxReplicas: ceiling, targetUtilization: target)
                let outcome = simulator.replay(demand: demand, stepSeconds: stepSeconds, requestMillicores: requestMillicores,
                                               configuration: configuration, initialReplicas: minimum)
                simulations += 1
                let candidate = Choice(configuration: configuration, outcome: outcome, meetsRequirement: true, simulations: 0)
                if fallback == nil || outcome.saturatedFraction < fallback!.outcome.saturatedFraction
                    || (outcome.saturatedFraction == fallback!.outcome.saturatedFraction && outcome.replicaHours < fallback!.outcome.replicaHours) {
                    fallback = candidate
                }
                if outcome.saturatedFraction <= 1 - requiredUnsaturated {
                    if let current = best {
                        let fewer = outcome.replicaHours < current.outcome.replicaHours - 1e-9
                        let tie = abs(outcome.replicaHours - current.outcome.replicaHours) <= 1e-9
                        let closer = abs(target - preferredTarget) < abs(current.configuration.targetUtilization - preferredTarget)
                        if fewer || (tie && closer) { best = candidate }
                    } else {
                        best = candidate
                    }
                    break  // a higher minimum only adds replica-hours
                }
            }
        }
        var choice = best ?? fallback!
        choice.meetsRequirement = best != nil
        choice.simulations = simulations
        // The replay never exceeded its peak, so any maximum at or above it replays the same.
        choice.configuration.maxReplicas = max(choice.configuration.minReplicas,
                                               Int((Double(choice.outcome.peakReplicas) * maxHeadroom).rounded(.up)))
        return choice
    }
}

/// A minimum-replicas schedule by hour of the week from a demand forecast: each hour gets the
/// replicas that hold its forecast peak at the HPA's target, so capacity is there before the
/// load (the HPA then only absorbs the unforecast part). Hours are UTC, Monday 00:00 = 0.
public enum PredictiveMinReplicas {
    public static func schedule(forecast: [Double], start: Int64, stepSeconds: Int64, requestMillicores: Double,
                                targetUtilization: Double, floor: Int) -> [Int] {
        var hours = [Int](repeating: floor, count: 168)
        for (index, value) in forecast.enumerated() {
            let hour = hourOfWeek(start + Int64(index) * stepSeconds)
            let needed = Int((value / (requestMillicores * targetUtilization)).rounded(.up))
            hours[hour] = max(hours[hour], needed)
        }
        return hours
    }

    /// Monday 00:00 UTC = 0 (1970-01-01 was a Thursday).
    public static func hourOfWeek(_ time: Int64) -> Int {
        let hours = time >= 0 ? time / 3600 : (time - 3599) / 3600
        return Int(((hours + 72) % 168 + 168) % 168)
    }

    /// Runs of equal values as "Mon 08:00–18:00 → 4", for tables and notes.
    public static func describe(_ hours: [Int]) -> [String] {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        func label(_ hour: Int) -> String { "\(days[(hour / 24) % 7]) \(format2(hour % 24)):00" }
        var runs: [String] = []
        var start = 0
        for hour in 1...hours.count where hour == hours.count || hours[hour] != hours[start] {
            runs.append("\(label(start))–\(hour == hours.count ? "Mon 00:00" : label(hour)) → \(hours[start])")
            start = hour
        }
        return runs
    }

    private static func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
