import Foundation

/// The HPA controller's normalization of a desired replica count (`horizontal.go` upstream):
/// stabilization windows, min/max clamping and scale rate limits, with and without
/// `spec.behavior`. Inside a window of W seconds means age < W.
public enum HPANormalization {
    /// Legacy path (no behavior): clamp to [min, min(max, max(factor·current, minimum))].
    public static func legacyRules(current: Int, desired: Int, minReplicas: Int, maxReplicas: Int,
                                   scaleUpLimitFactor: Double = 2, scaleUpLimitMinimum: Double = 4) -> (replicas: Int, condition: HPALimitCondition) {
        let scaleUpLimit = Int(max(scaleUpLimitFactor * Double(current), scaleUpLimitMinimum))
        let (maxAllowed, maxCondition): (Int, HPALimitCondition) = maxReplicas > scaleUpLimit
            ? (scaleUpLimit, .scaleUpLimit) : (maxReplicas, .tooManyReplicas)
        if desired < minReplicas { return (minReplicas, .tooFewReplicas) }
        if desired > maxAllowed { return (maxAllowed, maxCondition) }
        return (desired, .desiredWithinRange)
    }

    /// Legacy stabilization: the largest of `desired` and the recommendations inside the window;
    /// `desired` replaces the last recommendation outside the window, or is appended.
    public static func stabilizeLegacy(history: [HPARecommendation], desired: Int, windowSeconds: Double) -> (replicas: Int, history: [HPARecommendation]) {
        var stabilized = desired
        var replaceIndex: Int?
        for (index, recommendation) in history.enumerated() {
            if recommendation.ageSeconds < windowSeconds {
                stabilized = max(stabilized, recommendation.replicas)
            } else {
                replaceIndex = index
            }
        }
        var updated = history
        let entry = HPARecommendation(replicas: desired, ageSeconds: 0)
        if let replaceIndex { updated[replaceIndex] = entry } else { updated.append(entry) }
        return (stabilized, updated)
    }

    /// Behavior stabilization with both windows: raise `current` to the smallest recommendation
    /// of the scale-up window (and `desired`), lower it to the largest of the scale-down window.
    public static func stabilizeBehavior(history: [HPARecommendation], desired: Int, current: Int, upWindowSeconds: Double,
                                         downWindowSeconds: Double) -> (replicas: Int, history: [HPARecommendation]) {
        var upRecommendation = desired
        var downRecommendation = desired
        var replaceIndex: Int?
        let longest = max(upWindowSeconds, downWindowSeconds)
        for (index, recommendation) in history.enumerated() {
            if recommendation.ageSeconds < upWindowSeconds { upRecommendation = min(upRecommendation, recommendation.replicas) }
            if recommendation.ageSeconds < downWindowSeconds { downRecommendation = max(downRecommendation, recommendation.replicas) }
            if recommendation.ageSeconds >= longest { replaceIndex = index }
        }
        var result = current
        if result < upRecommendation { result = upRecommendation }
        if result > downRecommendation { result = downRecommendation }
        var updated = history
        let entry = HPARecommendation(replicas: desired, ageSeconds: 0)
        if let replaceIndex { updated[replaceIndex] = entry } else { updated.append(entry) }
        return (result, updated)
    }

    /// The rate limit in one direction: each policy proposes a bound from the replica count at
    /// the start of its period (`current − added + removed` within it); the select policy picks.
    public static func limit(scalingUp: Bool, current: Int, rules: HPAScalingRules, upEvents: [HPAScaleEvent], downEvents: [HPAScaleEvent]) -> Int {
        if rules.selectPolicy == .disabled { return current }
        var proposals: [Int] = []
        for policy in rules.policies {
            let period = Double(policy.periodSeconds)
            let added = upEvents.filter { $0.ageSeconds < period }.reduce(0) { $0 + $1.change }
            let removed = downEvents.filter { $0.ageSeconds < period }.reduce(0) { $0 + $1.change }
            let periodStart = current - added + removed
            if scalingUp {
                proposals.append(policy.kind == .pods ? periodStart + policy.value
                                 : Int((Double(periodStart) * (1 + Double(policy.value) / 100)).rounded(.up)))
            } else {
                proposals.append(policy.kind == .pods ? periodStart - policy.value
                                 : Int(Double(periodStart) * (1 - Double(policy.value) / 100)))
            }
        }
        guard !proposals.isEmpty else { return current }
        // Max means the largest change: the highest bound up, the lowest bound down.
        let pickLargestChange = rules.selectPolicy == .max
        return scalingUp ? (pickLargestChange ? proposals.max()! : proposals.min()!) : (pickLargestChange ? proposals.min()! : proposals.max()!)
    }

    /// The behavior path's clamping and rate limiting of a stabilized count.
    public static func behaviorRules(current: Int, desired: Int, minReplicas: Int, maxReplicas: Int, scaleUp: HPAScalingRules,
                                     scaleDown: HPAScalingRules, upEvents: [HPAScaleEvent], downEvents: [HPAScaleEvent]) -> (replicas: Int, condition: HPALimitCondition) {
        if desired > current {
            let limit = max(current, self.limit(scalingUp: true, current: current, rules: scaleUp, upEvents: upEvents, downEvents: downEvents))
            let (maxAllowed, condition): (Int, HPALimitCondition) = limit < maxReplicas ? (limit, .scaleUpLimit) : (maxReplicas, .tooManyReplicas)
            return desired > maxAllowed ? (maxAllowed, condition) : (desired, .desiredWithinRange)
        }
        if desired < current {
            let limit = min(current, self.limit(scalingUp: false, current: current, rules: scaleDown, upEvents: upEvents, downEvents: downEvents))
            let (minAllowed, condition): (Int, HPALimitCondition) = limit > minReplicas ? (limit, .scaleDownLimit) : (minReplicas, .tooFewReplicas)
            return desired < minAllowed ? (minAllowed, condition) : (desired, .desiredWithinRange)
        }
        return (desired, .desiredWithinRange)
    }
}
