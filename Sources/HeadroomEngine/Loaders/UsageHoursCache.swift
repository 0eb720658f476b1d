import HeadroomCore
import Synchronization

/// Hourly usage and declared state of each container kept between the service's cycles, so a
/// cycle reads from the store only the hours that can still change: the last
/// `rereadSeconds` before the end of the usage, and what came after. Everything is read
/// again once the end has moved `refreshSeconds` past the last full read (late data for
/// older hours is picked up then). In memory only: a restarted service reads everything once.
/// Allocation from it equals allocation read whole (`UsageHoursCacheTests`).
public final class UsageHoursCache: Sendable {
    struct Entry: Sendable {
        var start: Int64
        var cpu: [Double?]
        var memory: [Double?]
        var declared: [InventoryRecord?]
        /// Hours that start before this are final and not read again.
        var finalEnd: Int64
    }

    private struct State {
        var entries: [ContainerID: Entry] = [:]
        /// The window end of the last full read.
        var fullReadEnd: Int64?
        var hoursRead = 0
    }

    public let rereadSeconds: Int64
    public let refreshSeconds: Int64
    private let state = Mutex(State())

    public init(rereadSeconds: Int64 = 7_200, refreshSeconds: Int64 = 6 * 3_600) {
        self.rereadSeconds = max(3_600, rereadSeconds / 3_600 * 3_600)
        self.refreshSeconds = refreshSeconds
    }

    /// The kept entries for a read ending at `end`; none when a full read is due.
    func entries(forEnd end: Int64) -> [ContainerID: Entry] {
        state.withLock { state in
            guard let full = state.fullReadEnd, end >= full, end - full <= refreshSeconds else {
                state.entries = [:]
                state.fullReadEnd = nil
                return [:]
            }
            return state.entries
        }
    }

    /// Container-hours the last read took from the store (the rest came from here).
    public var lastHoursRead: Int { state.withLock { $0.hoursRead } }

    /// Keeps what a read ending at `end` produced, `hoursRead` of it from the store; `full`
    /// when it read every hour.
    func keep(_ entries: [ContainerID: Entry], end: Int64, full: Bool, hoursRead: Int) {
        state.withLock { state in
            state.entries = entries
            state.hoursRead = hoursRead
            if full || state.fullReadEnd == nil { state.fullReadEnd = end }
        }
    }
}
