import Foundation

/// The VPA recommender's estimator chain (`logic/estimator.go`) and unit rules
/// (`model/types.go`): amounts are integer millicores or bytes, every float → amount step
/// truncates toward zero and clamps to [0, 1e14].
public enum VPAEstimators {
    /// `MaxResourceAmount`.
    public static let maxResourceAmount: Int64 = 100_000_000_000_000

    /// Truncating, clamped conversion of a float amount.
    public static func amount(_ value: Double) -> Int64 {
        guard value.isFinite else { return value > 0 ? maxResourceAmount : 0 }
        if value <= 0 { return 0 }
        if value >= Double(maxResourceAmount) { return maxResourceAmount }
        return Int64(value)
    }

    /// Cores → millicores, truncated (0.069946 → 69 m).
    public static func cpuAmount(cores: Double) -> Int64 { amount(cores * 1000) }

    /// `x + trunc(x × fraction)`: the margin is truncated on its own.
    public static func withMargin(_ value: Int64, fraction: Double) -> Int64 {
        value + amount(Double(value) * fraction)
    }

    /// Raises an estimate to a minimum.
    public static func withMinimum(_ value: Int64, minimum: Int64) -> Int64 { max(value, minimum) }

    /// Confidence in the history: min(lifespan in intervals, samples per interval-minute).
    /// No samples (or no sample times) gives 0.
    public static func confidence(totalSamples: Int, firstSample: Double?, lastSample: Double?, intervalSeconds: Double) -> Double {
        guard let first = firstSample, let last = lastSample, totalSamples > 0 else { return 0 }
        let lifespan = (last - first) / intervalSeconds
        let samples = Double(totalSamples) / (intervalSeconds / 60)
        return min(lifespan, samples)
    }

    /// `x × (1 + multiplier/confidence)^exponent`; with confidence 0 the factor is +∞ for a
    /// positive exponent (capped at 1e14) and 0 for a negative one.
    public static func withConfidenceMultiplier(_ value: Int64, multiplier: Double, exponent: Double, confidence: Double) -> Int64 {
        let factor = pow(1 + multiplier / confidence, exponent)
        return amount(Double(value) * factor)
    }

    /// The pod minimum shared out among `containers` container names, truncated:
    /// 25 m over 2 containers is 12 m each; 250 "MB" (MiB) over 2 is 131,072,000 bytes.
    public static func podMinimumShare(cpuMillicores: Double, memoryMiB: Double, containers: Int) -> (cpu: Int64, memory: Int64) {
        let count = Double(max(1, containers))
        return (amount(cpuMillicores / count), amount(memoryMiB * 1024 * 1024 / count))
    }

    /// Rounds up to a multiple of `scale` (zero stays zero); a scale ≤ 0 is an error.
    public static func roundUp(_ value: Int64, toScale scale: Int64) throws(VPAError) -> Int64 {
        guard scale > 0 else { throw VPAError("scale must be greater than zero") }
        guard value != 0 else { return 0 }
        let remainder = value % scale
        return remainder == 0 ? value : value + scale - remainder
    }

    /// Whether an aggregate is garbage: its reference (last sample, or creation when it has no
    /// samples) is at least `interval × count` old.
    public static func isExpired(now: Double, reference: Double, intervalSeconds: Double, intervalCount: Int) -> Bool {
        now - reference >= intervalSeconds * Double(intervalCount)
    }
}

/// A VPA rule refused its input.
public struct VPAError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
