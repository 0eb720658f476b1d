import HeadroomCore
import HeadroomCost

/// Hourly usage and declared state of each container kept between the service's cycles for
/// allocation, so a cycle reads from the store only the hours that can still change: the last
/// `rereadSeconds` before the end of the usage, and what came after. Everything is read
/// again once the end has moved `refreshSeconds` past the last whole read. In memory only: a
/// restarted service reads everything once. Allocation from it equals allocation read whole
/// (`UsageHoursCacheTests`).
public final class UsageHoursCache: Sendable {
    struct Entry: Sendable {
        var start: Int64
        var cpu: [Double?]
        var memory: [Double?]
        var declared: [DeclaredRequests?]
        /// Hours that start before this are final and not read again.
        var finalEnd: Int64
    }

    public let rereadSeconds: Int64
    let windows: KeptWindows<Entry>

    public init(rereadSeconds: Int64 = 7_200, refreshSeconds: Int64 = 6 * 3_600) {
        self.rereadSeconds = max(3_600, rereadSeconds / 3_600 * 3_600)
        windows = KeptWindows(refreshSeconds: refreshSeconds)
    }

    /// The kept hours of each container for `[start, start + hours·3600)`, for the containers whose
    /// kept window covers all of it on the same hours: what a report of an earlier window takes
    /// instead of reading the store again.
    func covering(start: Int64, hours: Int) -> [ContainerID: (cpu: [Double?], memory: [Double?], declared: [DeclaredRequests?])] {
        var result: [ContainerID: (cpu: [Double?], memory: [Double?], declared: [DeclaredRequests?])] = [:]
        for (container, entry) in windows.peek() {
            guard entry.start <= start, (start - entry.start) % 3600 == 0 else { continue }
            let offset = Int((start - entry.start) / 3600)
            guard offset + hours <= min(entry.cpu.count, entry.memory.count, entry.declared.count) else { continue }
            result[container] = (Array(entry.cpu[offset..<(offset + hours)]), Array(entry.memory[offset..<(offset + hours)]),
                                 Array(entry.declared[offset..<(offset + hours)]))
        }
        return result
    }

    /// Container-hours the last read took from the store (the rest came from here).
    public var lastHoursRead: Int { windows.lastValuesRead }
}

/// The last days of each container's 5-minute CPU means kept between the service's cycles for
/// the idle rule of the reclamation plan, read like `UsageHoursCache`: only the last
/// `rereadSeconds` and what came after, everything again every `refreshSeconds`. Exact values
/// (Double), so the plan equals one read whole (`RecentCPUCacheTests`); 10,000 containers × 7
/// days hold about 160 MB.
public final class RecentCPUCache: Sendable {
    struct Entry: Sendable {
        var start: Int64
        var means: [Double?]
        var finalEnd: Int64
    }

    public let rereadSeconds: Int64
    let windows: KeptWindows<Entry>

    public init(rereadSeconds: Int64 = 7_200, refreshSeconds: Int64 = 6 * 3_600) {
        self.rereadSeconds = max(300, rereadSeconds / 300 * 300)
        windows = KeptWindows(refreshSeconds: refreshSeconds)
    }

    /// 5-minute means the last read took from the store.
    public var lastBucketsRead: Int { windows.lastValuesRead }
}
