import HeadroomCore

/// Cost-weighted efficiency of a namespace, as Kubecost defines it:
/// ((CPU usage / CPU request) · CPU cost + (RAM usage / RAM request) · RAM cost) / (CPU cost + RAM cost),
/// summed over the namespace's containers. Usage over request comes from the replay window's
/// mean usage; the costs from the allocation window.
public struct NamespaceEfficiency: Sendable, Hashable, Codable {
    public var namespace: String
    public var cpuMicrodollars: Int64
    public var ramMicrodollars: Int64
    /// The weighted ratio (1 = usage equals requests; above 1 when usage exceeds them); nil
    /// without CPU or RAM cost.
    public var efficiency: Double?

    /// One container's part: its allocated CPU and RAM cost and its mean usage over its requests
    /// (nil when it declares no request: it then counts as fully used, as the allocation charges usage).
    public struct Part: Sendable, Hashable {
        public var namespace: String
        public var cpuMicrodollars: Int64
        public var ramMicrodollars: Int64
        public var cpuUsageOverRequest: Double?
        public var memoryUsageOverRequest: Double?

        public init(namespace: String, cpuMicrodollars: Int64, ramMicrodollars: Int64, cpuUsageOverRequest: Double?, memoryUsageOverRequest: Double?) {
            self.namespace = namespace
            self.cpuMicrodollars = cpuMicrodollars
            self.ramMicrodollars = ramMicrodollars
            self.cpuUsageOverRequest = cpuUsageOverRequest
            self.memoryUsageOverRequest = memoryUsageOverRequest
        }
    }

    /// Per namespace, sorted by name.
    public static func of(_ parts: [Part]) -> [NamespaceEfficiency] {
        Dictionary(grouping: parts, by: \.namespace).map { namespace, members in
            var cpu: Int64 = 0, ram: Int64 = 0, weighted = 0.0
            for part in members {
                cpu = cpu.saturatingAdd(part.cpuMicrodollars)
                ram = ram.saturatingAdd(part.ramMicrodollars)
                weighted += max(0, part.cpuUsageOverRequest ?? 1) * Double(part.cpuMicrodollars)
                weighted += max(0, part.memoryUsageOverRequest ?? 1) * Double(part.ramMicrodollars)
            }
            let total = Double(cpu) + Double(ram)
            return NamespaceEfficiency(namespace: namespace, cpuMicrodollars: cpu, ramMicrodollars: ram, efficiency: total > 0 ? weighted / total : nil)
        }.sorted { $0.namespace < $1.namespace }
    }
}

/// One namespace's allocated cost on one UTC day (its containers' own cost, shared namespaces not spread).
public struct DailyNamespaceCost: Sendable, Hashable, Codable {
    public var day: Int64
    public var namespace: String
    public var microdollars: Int64

    public init(day: Int64, namespace: String, microdollars: Int64) {
        self.day = day
        self.namespace = namespace
        self.microdollars = microdollars
    }

    /// Per day and namespace, in that order.
    public static func of(_ rows: [StoredContainerCost]) -> [DailyNamespaceCost] {
        var sums: [DayNamespace: Int64] = [:]
        for row in rows {
            let key = DayNamespace(day: row.day, namespace: row.container.workload.namespace)
            sums[key] = (sums[key] ?? 0).saturatingAdd(row.total)
        }
        return sums.map { DailyNamespaceCost(day: $0.key.day, namespace: $0.key.namespace, microdollars: $0.value) }
            .sorted { ($0.day, $0.namespace) < ($1.day, $1.namespace) }
    }

    private struct DayNamespace: Hashable {
        var day: Int64
        var namespace: String
    }
}

/// A namespace's spend over its last days against the days before, scaled to the same length.
public struct SpendChange: Sendable, Hashable {
    public var namespace: String
    public var recentMicrodollars: Int64
    /// The baseline window's spend scaled to the recent window's length.
    public var baselineMicrodollars: Int64
    /// (recent − baseline) / baseline; nil when the baseline is 0.
    public var change: Double?

    /// Up by at least `percent` % on the baseline (any recent spend when there was none), with
    /// at least `minimumSpend` spent recently.
    public func exceeds(percent: Int, minimumSpend: Int64) -> Bool {
        recentMicrodollars >= minimumSpend && Int128(recentMicrodollars - baselineMicrodollars) * 100 >= Int128(baselineMicrodollars) * Int128(percent)
    }

    /// - Parameters: `lastDay` the newest day (midnight UTC); the recent window is the `recentDays`
    ///   ending with it, the baseline the `baselineDays` before those.
    public static func of(_ daily: [DailyNamespaceCost], lastDay: Int64, recentDays: Int, baselineDays: Int) -> [SpendChange] {
        let recentFrom = lastDay - Int64(recentDays - 1) * 86_400
        let baselineFrom = recentFrom - Int64(baselineDays) * 86_400
        var recent: [String: Int64] = [:], baseline: [String: Int64] = [:]
        for row in daily where row.day >= baselineFrom && row.day <= lastDay {
            if row.day >= recentFrom { recent[row.namespace, default: 0] = recent[row.namespace, default: 0].saturatingAdd(row.microdollars) }
            else { baseline[row.namespace, default: 0] = baseline[row.namespace, default: 0].saturatingAdd(row.microdollars) }
        }
        return Set(recent.keys).union(baseline.keys).sorted().map { namespace in
            let now = recent[namespace] ?? 0
            let before = Int64(clamping: Int128(baseline[namespace] ?? 0) * Int128(recentDays) / Int128(max(1, baselineDays)))
            return SpendChange(namespace: namespace, recentMicrodollars: now, baselineMicrodollars: before,
                               change: before > 0 ? Double(now - before) / Double(before) : nil)
        }
    }
}
