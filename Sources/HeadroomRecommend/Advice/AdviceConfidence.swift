import Foundation
import HeadroomCore

/// How far advice can be trusted, from the history behind it: its length (from the first
/// observed bucket to the end of the window) and its coverage (buckets with samples in that
/// span). Like the VPA, advice on less than 8 days, or on a history with more than a fifth
/// missing, is low confidence.
public struct AdviceConfidence: Sendable, Hashable, Codable {
    public enum Level: String, Sendable, Hashable, Codable { case high, low }

    public var historyDays: Double
    /// Share of the 5-minute buckets since the first observed one that hold a sample, 0…1.
    public var coverage: Double
    public var level: Level
    public var reasons: [String]

    public static let minimumDays = 8.0
    public static let minimumCoverage = 0.8

    /// From a container's per-pod CPU series over the advice window.
    public init(series: RegularSeries) {
        let first = series.values.firstIndex { $0 != nil }
        let span = first.map { series.values.count - $0 } ?? 0
        let observed = series.values.lazy.filter { $0 != nil }.count
        historyDays = Double(span) * Double(series.step) / 86_400
        coverage = span > 0 ? Double(observed) / Double(span) : 0
        var reasons: [String] = []
        if historyDays < Self.minimumDays {
            reasons.append(String(format: "%.1f days of history (under %.0f)", historyDays, Self.minimumDays))
        }
        if coverage < Self.minimumCoverage {
            reasons.append(String(format: "%.0f %% of the buckets hold samples (under %.0f %%)", coverage * 100, Self.minimumCoverage * 100))
        }
        self.reasons = reasons
        level = reasons.isEmpty ? .high : .low
    }
}
