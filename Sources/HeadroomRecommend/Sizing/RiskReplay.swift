import HeadroomCore

/// What a configuration would have done over recorded history (per pod, 5-minute buckets):
/// CPU throttling (usage max above the limit, or above the request when there is no limit),
/// OOM kills (memory max reaching the limit), and slack (request minus mean usage, as GKE
/// Autopilot reports it).
public struct ReplayedRisk: Sendable, Hashable, Codable {
    /// Minutes in buckets where CPU would have been throttled (or exceeded its request).
    public var cpuPressureMinutes: Int
    /// Buckets in which memory reached the limit: each would have been an OOM kill.
    public var oomBuckets: Int
    /// Mean unused request per pod.
    public var cpuSlackMillicores: Double
    public var memorySlackBytes: Double

    public init(cpuPressureMinutes: Int, oomBuckets: Int, cpuSlackMillicores: Double, memorySlackBytes: Double) {
        self.cpuPressureMinutes = cpuPressureMinutes
        self.oomBuckets = oomBuckets
        self.cpuSlackMillicores = cpuSlackMillicores
        self.memorySlackBytes = memorySlackBytes
    }
}

public enum RiskReplay {
    /// - Parameters: per-pod 5-minute CPU means and maxima (millicores), memory maxima and means (bytes), gaps as nil.
    public static func replay(cpuMean: [Double?], cpuMax: [Double?], memoryMean: [Double?], memoryMax: [Double?],
                              requests: ResourceAmounts, limits: ResourceAmounts) -> ReplayedRisk {
        let cpuCeiling = (limits.cpu ?? requests.cpu).map { Double($0.millicores) }
        let memoryLimit = limits.memory.map { Double($0.bytes) }
        var pressure = 0, oom = 0
        var cpuSlack = 0.0, memorySlack = 0.0, cpuCount = 0, memoryCount = 0
        for value in cpuMax.compactMap({ $0 }) where cpuCeiling.map({ value > $0 }) == true { pressure += 5 }
        for value in memoryMax.compactMap({ $0 }) where memoryLimit.map({ value >= $0 }) == true { oom += 1 }
        if let request = requests.cpu {
            for value in cpuMean.compactMap({ $0 }) { cpuSlack += Double(request.millicores) - value; cpuCount += 1 }
        }
        if let request = requests.memory {
            for value in memoryMean.compactMap({ $0 }) { memorySlack += Double(request.bytes) - value; memoryCount += 1 }
        }
        return ReplayedRisk(cpuPressureMinutes: pressure, oomBuckets: oom,
                            cpuSlackMillicores: cpuCount > 0 ? cpuSlack / Double(cpuCount) : 0,
                            memorySlackBytes: memoryCount > 0 ? memorySlack / Double(memoryCount) : 0)
    }
}
