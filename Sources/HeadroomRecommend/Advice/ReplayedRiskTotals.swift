import Foundation

/// Replayed risk summed over several containers (a workload's, a plan item's): OOM buckets and CPU
/// pressure minutes of the current and of the recommended configuration.
public struct ReplayedRiskTotals: Sendable, Hashable, Codable {
    public var currentOOMBuckets = 0
    public var recommendedOOMBuckets = 0
    public var currentCPUPressureMinutes = 0
    public var recommendedCPUPressureMinutes = 0
    /// The longest stretch of usage any of the containers was replayed over, in 5-minute buckets.
    public var replayedBuckets = 0

    /// `7 days`, `2.5 days`, `18 hours`: how much history the risk figures stand on.
    public var replayedSpan: String {
        let hours = Double(replayedBuckets) / 12
        if hours < 48 { return hours == hours.rounded() ? "\(Int(hours)) hours" : String(format: "%.1f hours", hours) }
        let days = hours / 24
        return days == days.rounded() ? "\(Int(days)) days" : String(format: "%.1f days", days)
    }

    public init<S: Sequence>(_ rows: S) where S.Element == ContainerAdvice {
        for row in rows {
            currentOOMBuckets += row.current.risk.oomBuckets
            recommendedOOMBuckets += row.recommended.risk.oomBuckets
            currentCPUPressureMinutes += row.current.risk.cpuPressureMinutes
            recommendedCPUPressureMinutes += row.recommended.risk.cpuPressureMinutes
            replayedBuckets = max(replayedBuckets, row.replayedBuckets ?? 0)
        }
    }
}
