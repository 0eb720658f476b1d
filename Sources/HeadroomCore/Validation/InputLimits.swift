/// The largest values Headroom accepts from any input (files, API answers, flags, stored rows),
/// and the checks that turn anything outside them into a reason an error can name. The bounds
/// sit far beyond any real cluster and far enough inside 64-bit integers that the products the
/// engine forms (requests × replicas, summed over a cluster) cannot overflow.
public enum InputLimits {
    /// 1,000,000 cores, in millicores: more than any node, pod or namespace quota.
    public static let maxMillicores: Int64 = 1_000_000_000
    /// 1 PiB.
    public static let maxBytes: Int64 = 1 << 50
    /// Pods of one workload (HPA maxReplicas included).
    public static let maxReplicas = 100_000
    /// Timestamps from 2000-01-01 to 2100-01-01 UTC: a value outside is a unit mistake (seconds
    /// read as milliseconds or the other way round), not a date.
    public static let earliestTime: Int64 = 946_684_800
    public static let latestTime: Int64 = 4_102_444_800
    /// Points in one regular series (a 5-minute grid of 9.5 years).
    public static let maxSeriesPoints = 1_000_000

    /// Millicores from a number of cores, or the reason it is not one.
    public static func millicores(cores value: Double) -> Result<Int64, Rejection> {
        guard value.isFinite else { return .failure(.init("\(value) is not a finite number")) }
        guard value >= 0 else { return .failure(.init("\(value) is negative")) }
        let millicores = (value * 1000).rounded(.up)
        guard millicores <= Double(maxMillicores) else { return .failure(.init("\(value) cores is more than 1,000,000 cores")) }
        return .success(Int64(millicores))
    }

    /// Whole bytes (rounded up), or the reason it is not an amount of memory or storage.
    public static func bytes(_ value: Double) -> Result<Int64, Rejection> {
        guard value.isFinite else { return .failure(.init("\(value) is not a finite number")) }
        guard value >= 0 else { return .failure(.init("\(value) is negative")) }
        guard value <= Double(maxBytes) else { return .failure(.init("\(value) bytes is more than 1 PiB")) }
        return .success(Int64(value.rounded(.up)))
    }

    /// A whole number of pods, or the reason it is not one.
    public static func replicas(_ value: Double) -> Result<Int, Rejection> {
        guard value.isFinite, value >= 0, value == value.rounded() else { return .failure(.init("\(value) is not a whole number of replicas")) }
        guard value <= Double(maxReplicas) else { return .failure(.init("\(value) replicas is more than \(maxReplicas)")) }
        return .success(Int(value))
    }

    /// Unix seconds in 2000…2100, or the reason (with the likely unit mistake) they are not.
    /// - Parameter unit: how the source counts, for the message ("seconds", "milliseconds").
    public static func time(_ seconds: Double, sourceUnit unit: String = "seconds") -> Result<Int64, Rejection> {
        guard seconds.isFinite else { return .failure(.init("timestamp \(seconds) is not a number")) }
        guard seconds >= Double(earliestTime) else {
            return .failure(.init("timestamp \(format(seconds)) s is before 2000 (the file counts \(unit): is it in another unit?)"))
        }
        guard seconds < Double(latestTime) else {
            return .failure(.init("timestamp \(format(seconds)) s is after 2100 (the file counts \(unit): is it in another unit?)"))
        }
        return .success(Int64(seconds.rounded(.down)))
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e18 ? String(Int64(value)) : String(value)
    }

    /// Why a value was refused.
    public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}

extension Int64 {
    /// `self + other`, or `.max`/`.min` where the sum would not fit: totals of bounded inputs
    /// never reach it, and a total that did must not trap.
    public func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self × other`, saturating like `saturatingAdd`.
    public func saturatingMultiply(_ other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : product
    }
}

extension Int64 {
    /// The nearest `Int64` to `value`: NaN is 0, beyond the range saturates. For conversions that
    /// must not trap whatever a computation produced.
    public init(saturating value: Double) {
        if value.isNaN { self = 0 } else if value >= 9.223372036854775e18 { self = .max } else if value <= -9.223372036854775e18 { self = .min }
        else { self = Int64(value) }
    }
}
