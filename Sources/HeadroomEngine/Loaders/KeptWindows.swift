import HeadroomCore
import Synchronization

/// Per-container windows of usage kept between the service's cycles (`UsageHoursCache`,
/// `RecentCPUCache`): what the last read produced, and when every value was last read whole.
/// A read at a later end takes the final part of each window from here and only the rest from
/// the store; once the end has moved `refreshSeconds` past the last whole read, everything is
/// read again (late data for older buckets is picked up then). In memory only.
final class KeptWindows<Entry: Sendable>: Sendable {
    private struct State {
        var entries: [ContainerID: Entry] = [:]
        /// The window end of the last whole read.
        var fullReadEnd: Int64?
        var valuesRead = 0
    }

    let refreshSeconds: Int64
    private let state = Mutex(State())

    init(refreshSeconds: Int64) {
        self.refreshSeconds = refreshSeconds
    }

    /// The kept entries for a read ending at `end`; none when a whole read is due.
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

    /// The kept entries as they are, without ending them (for a read of an earlier window).
    func peek() -> [ContainerID: Entry] {
        state.withLock { $0.entries }
    }

    /// Keeps what a read ending at `end` produced, `valuesRead` of it from the store; `whole`
    /// when it read every value.
    func keep(_ entries: [ContainerID: Entry], end: Int64, whole: Bool, valuesRead: Int) {
        state.withLock { state in
            state.entries = entries
            state.valuesRead = valuesRead
            if whole || state.fullReadEnd == nil { state.fullReadEnd = end }
        }
    }

    /// Which of a kept window's `count` values (from `keptStart`, `step` seconds apart, final
    /// before `finalEnd`) a new window `[start, end)` takes as they are: their indices, or nil.
    static func reusable(keptStart: Int64, finalEnd: Int64, count: Int, start: Int64, end: Int64, step: Int64) -> Range<Int>? {
        guard keptStart <= start, finalEnd > start else { return nil }
        let offset = Int((start - keptStart) / step)
        let reuse = min(Int((min(finalEnd, end) - start) / step), count - offset)
        return reuse > 0 ? offset..<(offset + reuse) : nil
    }

    /// Values the last read took from the store.
    var lastValuesRead: Int { state.withLock { $0.valuesRead } }
}
