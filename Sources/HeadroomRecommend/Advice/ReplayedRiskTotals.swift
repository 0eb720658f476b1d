/// Replayed risk summed over several containers (a workload's, a plan item's): OOM buckets and CPU
/// pressure minutes of the current and of the recommended configuration.
public struct ReplayedRiskTotals: Sendable, Hashable, Codable {
    public var currentOOMBuckets = 0
    public var recommendedOOMBuckets = 0
    public var currentCPUPressureMinutes = 0
    public var recommendedCPUPressureMinutes = 0

    public init<S: Sequence>(_ rows: S) where S.Element == ContainerAdvice {
        for row in rows {
            currentOOMBuckets += row.current.risk.oomBuckets
            recommendedOOMBuckets += row.recommended.risk.oomBuckets
            currentCPUPressureMinutes += row.current.risk.cpuPressureMinutes
            recommendedCPUPressureMinutes += row.recommended.risk.cpuPressureMinutes
        }
    }
}
