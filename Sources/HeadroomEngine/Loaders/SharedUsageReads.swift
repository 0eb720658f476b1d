import HeadroomCore
import HeadroomCost
import HeadroomRecommend
import Synchronization

/// Usage the advice pipeline has read, handed on to the allocation and the idle rule of the
/// same assessment, so that a first cycle reads each container's history once rather than three
/// times: the hourly CPU and memory means of the whole hours inside the advice window, and the
/// 5-minute CPU means of the idle rule's last `recentSeconds`, and the declared state at each
/// of those hours' starts. The hours come from the loaded series through the same `hourlyMeans`
/// that `usageHours` applies to the store's, and the declared state from the record in force at
/// the 5-minute step that starts each hour (what the store's hourly steps give), so the
/// assessment is identical (`SharedUsageReadsTests`). A loader takes them only for a window
/// ending where they end; anything else it reads from the store.
final class SharedUsageReads: Sendable {
    struct Hours: Sendable {
        /// The first whole hour of the advice window; the values run to the hour after its end.
        var start: Int64
        var cpu: [Double?]
        var memory: [Double?]
        /// The declared state at each hour's start; empty when the read did not give it.
        var declared: [DeclaredRequests?]
    }

    struct Recent: Sendable {
        var start: Int64
        var means: [Double?]
    }

    let recentSeconds: Int64
    private let hours = Mutex<[ContainerID: Hours]>([:])
    private let recent = Mutex<[ContainerID: Recent]>([:])

    init(recentSeconds: Int64) {
        self.recentSeconds = recentSeconds
    }

    /// Keeps what one loaded history gives (called from the pipeline's reading task);
    /// `declared`: the declared state at each 5-minute step of the history's window, as read.
    func take(_ history: ContainerHistory, declared: [InventoryRecord?]? = nil) {
        let container = history.container
        let cpu = history.cpuMean, memory = history.memoryMean
        guard cpu.step == 300, memory.step == 300, cpu.start == memory.start, cpu.values.count == memory.values.count else { return }
        let end = cpu.start + Int64(cpu.values.count) * 300
        let firstHour = (cpu.start + 3599) / 3600 * 3600
        let lastHour = (end + 3599) / 3600 * 3600
        if firstHour < lastHour {
            let offset = Int((firstHour - cpu.start) / 300), count = Int((lastHour - firstHour) / 3600)
            var hourly: [DeclaredRequests?] = []
            if let declared, declared.count == cpu.values.count {
                hourly = stride(from: offset, to: declared.count, by: 12).map { declared[$0].map(DeclaredRequests.init) }
            }
            let value = Hours(start: firstHour, cpu: hourlyMeans(cpu.values.dropFirst(offset), hours: count),
                              memory: hourlyMeans(memory.values.dropFirst(offset), hours: count), declared: hourly)
            hours.withLock { $0[container] = value }
        }
        let recentStart = end - recentSeconds
        if recentStart >= cpu.start {
            let value = Recent(start: recentStart, means: Array(cpu.values[Int((recentStart - cpu.start) / 300)...]))
            recent.withLock { $0[container] = value }
        }
    }

    /// The container's hourly means for `[from, end)` when the kept ones end at `end`: the
    /// part from `from` on (or from their start, if later) and where it starts; with the
    /// declared state of those hours when it was kept (nil: read it from the store).
    func hours(_ container: ContainerID, from: Int64, end: Int64)
        -> (start: Int64, cpu: ArraySlice<Double?>, memory: ArraySlice<Double?>, declared: ArraySlice<DeclaredRequests?>?)? {
        guard let kept = hours.withLock({ $0[container] }), kept.start + Int64(kept.cpu.count) * 3600 == end else { return nil }
        let skip = max(0, Int((from - kept.start) / 3600))
        guard skip < kept.cpu.count else { return nil }
        return (kept.start + Int64(skip) * 3600, kept.cpu[skip...], kept.memory[skip...],
                kept.declared.count == kept.cpu.count ? kept.declared[skip...] : nil)
    }

    /// The container's 5-minute CPU means for exactly `[from, end)`, when kept.
    func recentCPU(_ container: ContainerID, from: Int64, end: Int64) -> [Double?]? {
        guard let kept = recent.withLock({ $0[container] }), kept.start == from, kept.start + Int64(kept.means.count) * 300 == end else { return nil }
        return kept.means
    }
}
