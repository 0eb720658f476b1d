import HeadroomCore
import HeadroomHistory
import HeadroomRecommend

extension ContainerHistory {
    /// One container's history over `[start, end)` as advice needs it, from what the store read
    /// for it (`HistoryBackend.histories`; nil: nothing stored).
    static func loaded(_ container: ContainerID, stored: StoredHistory?, current: InventoryRecord?, ooms: [ContainerEvent],
                       from start: Int64, to end: Int64, soleContainer: Bool) -> ContainerHistory {
        let cpu = stored?.cpu ?? [], memory = stored?.memory ?? []
        let limitBytes = current?.limits.memory.map { Double($0.bytes) }
        let kills = ooms.filter { $0.container == container && $0.time >= start && $0.time < end }
        return ContainerHistory(
            container: container, current: current,
            cpuMean: cpu.gridded(.mean, from: start, to: end, resolution: .fiveMinutes),
            cpuMax: cpu.gridded(.max, from: start, to: end, resolution: .fiveMinutes),
            memoryMean: memory.gridded(.mean, from: start, to: end, resolution: .fiveMinutes),
            memoryMax: memory.gridded(.max, from: start, to: end, resolution: .fiveMinutes),
            replicas: (stored?.declared ?? InventoryRecord.steps([], from: start, to: end, step: 300)).replicaCounts,
            oomBytes: kills.compactMap { event in event.memoryBytes.map(Double.init) ?? limitBytes }, oomTimes: kills.map(\.time),
            soleContainer: soleContainer)
    }
}
