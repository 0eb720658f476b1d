/// Replays recorded demand through the HPA controller: a sync every 15 s, the replica
/// calculation on CPU utilization (tolerance, unready pods counted at zero usage on scale-up),
/// then the behavior path's stabilization and rate limits (`HPANormalization`), with new pods
/// serving only after a start-up delay. What it measures is what an SRE asks of an HPA
/// configuration: how often pods ran hot, how many replica-hours it cost, and how long the
/// ready replicas fell short of what the load needed.
public struct HPASimulator: Sendable {
    /// The HPA being replayed (CPU utilization target as a fraction of the request).
    public struct Configuration: Sendable, Hashable, Codable {
        public var minReplicas: Int
        public var maxReplicas: Int
        public var targetUtilization: Double
        public init(minReplicas: Int, maxReplicas: Int, targetUtilization: Double) {
            self.minReplicas = minReplicas
            self.maxReplicas = maxReplicas
            self.targetUtilization = targetUtilization
        }
    }

    /// What a replay measured.
    public struct Outcome: Sendable, Hashable, Codable {
        /// Fraction of controller ticks in which ready pods ran above the saturation threshold.
        public var saturatedFraction: Double
        /// Replica-hours over the replay, starting pods included (they cost from the moment they are scheduled).
        public var replicaHours: Double
        /// Minutes in which fewer pods were ready than the load needed at the saturation threshold.
        public var shortfallMinutes: Double
        public var peakReplicas: Int
        public var meanReplicas: Double
        public var scaleEvents: Int
    }

    public var syncSeconds = 15.0
    /// Seconds from a scale-up until the new pod serves traffic.
    public var podStartupSeconds = 30.0
    /// Per-pod utilization above which a pod counts as saturated (fraction of the request).
    public var saturation = 0.9
    public var tolerance = HPAReplicaCalculator.Tolerance()
    public var scaleUp = HPAScalingRules.defaultScaleUp
    public var scaleDown = HPAScalingRules.defaultScaleDown

    public init() {}

    /// - Parameters:
    ///   - demand: total CPU the workload used (millicores, all pods together) per step, no gaps.
    ///   - stepSeconds: the demand series' step (300 for 5-minute buckets); demand is
    ///     interpolated linearly between step midpoints.
    ///   - requestMillicores: per-pod CPU request.
    ///   - initialReplicas: replicas at the start (clamped into [min, max]).
    public func replay(demand: [Double], stepSeconds: Double, requestMillicores: Double, configuration: Configuration,
                       initialReplicas: Int? = nil) -> Outcome {
        precondition(requestMillicores > 0 && configuration.minReplicas >= 1 && configuration.maxReplicas >= configuration.minReplicas)
        guard !demand.isEmpty else {
            return Outcome(saturatedFraction: 0, replicaHours: 0, shortfallMinutes: 0, peakReplicas: configuration.minReplicas,
                           meanReplicas: Double(configuration.minReplicas), scaleEvents: 0)
        }
        let ticksPerStep = max(1, Int((stepSeconds / syncSeconds).rounded()))
        let tickCount = demand.count * ticksPerStep
        var replicas = min(max(initialReplicas ?? configuration.minReplicas, configuration.minReplicas), configuration.maxReplicas)
        // Times at which starting pods become ready, oldest first.
        var starting: [Double] = []
        var recommendations: [(replicas: Int, time: Double)] = []
        var upEvents = HPAScaleEventStore()
        var downEvents = HPAScaleEventStore()
        let upWindow = Double(scaleUp.stabilizationWindowSeconds ?? 0)
        let downWindow = Double(scaleDown.stabilizationWindowSeconds ?? 300)
        let upPeriod = Double(scaleUp.policies.map(\.periodSeconds).max() ?? 15)
        let downPeriod = Double(scaleDown.policies.map(\.periodSeconds).max() ?? 15)
        var saturatedTicks = 0, shortfallTicks = 0, events = 0, peak = replicas
        var replicaSeconds = 0.0

        for tick in 0..<tickCount {
            let now = Double(tick) * syncSeconds
            if let first = starting.first, first <= now { starting.removeAll { $0 <= now } }
            let ready = replicas - starting.count
            let load = Self.interpolated(demand, at: (Double(tick) + 0.5) / Double(ticksPerStep) - 0.5)

            // What the pods went through during this tick.
            let perPod = ready > 0 ? load / (Double(ready) * requestMillicores) : .infinity
            if perPod > saturation { saturatedTicks += 1 }
            if Double(ready) < (load / (requestMillicores * saturation)).rounded(.up) { shortfallTicks += 1 }
            replicaSeconds += Double(replicas) * syncSeconds

            // The controller's sync: replica calculation on the measured utilization.
            let desired = desiredReplicas(load: load, ready: ready, unready: starting.count, request: requestMillicores,
                                          target: configuration.targetUtilization)
            // Stabilization (HPANormalization.stabilizeBehavior's rule, without building arrays
            // every sync): the current count is raised to the smallest recommendation of the
            // scale-up window and lowered to the largest of the scale-down window.
            let stabilized = Self.stabilize(recommendations, desired: desired, current: replicas, now: now,
                                            upWindow: upWindow, downWindow: downWindow)
            Self.record(&recommendations, desired: desired, now: now, expiry: max(upWindow, downWindow))
            var next = replicas
            if stabilized != replicas {
                let ups = upEvents.scaleEvents(now: now)
                let downs = downEvents.scaleEvents(now: now)
                next = HPANormalization.behaviorRules(current: replicas, desired: stabilized, minReplicas: configuration.minReplicas,
                                                      maxReplicas: configuration.maxReplicas, scaleUp: scaleUp, scaleDown: scaleDown,
                                                      upEvents: ups, downEvents: downs).replicas
            }
            if next > replicas {
                upEvents.store(change: next - replicas, now: now, longestPeriodSeconds: upPeriod)
                for _ in 0..<(next - replicas) { starting.append(now + podStartupSeconds) }
                events += 1
            } else if next < replicas {
                downEvents.store(change: replicas - next, now: now, longestPeriodSeconds: downPeriod)
                // Pods still starting are removed first (the ReplicaSet deletes unready pods first).
                let removed = replicas - next
                starting.removeLast(min(removed, starting.count))
                events += 1
            }
            replicas = next
            peak = max(peak, replicas)
        }
        let seconds = Double(tickCount) * syncSeconds
        return Outcome(saturatedFraction: Double(saturatedTicks) / Double(tickCount), replicaHours: replicaSeconds / 3600,
                       shortfallMinutes: Double(shortfallTicks) * syncSeconds / 60, peakReplicas: peak,
                       meanReplicas: replicaSeconds / seconds, scaleEvents: events)
    }

    /// The behavior path's stabilized count: `current` raised to the smallest of `desired` and the
    /// recommendations younger than `upWindow`, then lowered to the largest of `desired` and those
    /// younger than `downWindow` (ages measured from `now`).
    static func stabilize(_ recommendations: [(replicas: Int, time: Double)], desired: Int, current: Int, now: Double,
                          upWindow: Double, downWindow: Double) -> Int {
        var up = desired, down = desired
        for entry in recommendations {
            let age = now - entry.time
            if age < upWindow { up = min(up, entry.replicas) }
            if age < downWindow { down = max(down, entry.replicas) }
        }
        var result = current
        if result < up { result = up }
        if result > down { result = down }
        return result
    }

    /// Records this sync's recommendation, reusing a slot that has left both windows.
    static func record(_ recommendations: inout [(replicas: Int, time: Double)], desired: Int, now: Double, expiry: Double) {
        if let slot = recommendations.firstIndex(where: { now - $0.time >= expiry }) {
            recommendations[slot] = (desired, now)
        } else {
            recommendations.append((desired, now))
        }
    }

    /// The replica calculation for a CPU utilization metric when every ready pod reports the
    /// same share of the load: within tolerance nothing changes; on scale-up, pods still
    /// starting count as using nothing (upstream's unready-pod rule).
    func desiredReplicas(load: Double, ready: Int, unready: Int, request: Double, target: Double) -> Int {
        guard ready > 0 else { return ready + unready }
        let ratio = load / (Double(ready) * request) / target
        if ratio <= 1 + tolerance.scaleUp && ratio >= 1 - tolerance.scaleDown { return ready + unready }
        if ratio > 1 && unready > 0 {
            let diluted = load / (Double(ready + unready) * request) / target
            if diluted <= 1 + tolerance.scaleUp && diluted >= 1 - tolerance.scaleDown { return ready + unready }
            if diluted < 1 { return ready + unready }  // the new pods would reverse the direction
            return Int((diluted * Double(ready + unready)).rounded(.up))
        }
        return Int((ratio * Double(ready)).rounded(.up))
    }

    /// Linear interpolation at fractional index `position` (clamped at the ends).
    static func interpolated(_ values: [Double], at position: Double) -> Double {
        if position <= 0 { return values[0] }
        let lower = Int(position)
        if lower >= values.count - 1 { return values[values.count - 1] }
        let fraction = position - Double(lower)
        return values[lower] + (values[lower + 1] - values[lower]) * fraction
    }
}
