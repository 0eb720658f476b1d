import HeadroomCore
import HeadroomHistory
import HeadroomRecommend

extension HistoryStore {
    /// One container's history over `[start, end)` as advice needs it (I/O only).
    func containerHistory(_ container: ContainerID, current: InventoryRecord?, ooms: [ContainerEvent], from start: Int64, to end: Int64,
                          soleContainer: Bool) throws(HistoryError) -> ContainerHistory {
        let cpu = try meanAndMaxSeries(container, resource: .cpu, from: start, to: end)
        let memory = try meanAndMaxSeries(container, resource: .memory, from: start, to: end)
        let limitBytes = current?.limits.memory.map { Double($0.bytes) }
        let kills = ooms.filter { $0.container == container && $0.time >= start && $0.time < end }
        return ContainerHistory(
            container: container, current: current,
            cpuMean: cpu.mean, cpuMax: cpu.max, memoryMean: memory.mean, memoryMax: memory.max,
            replicas: try replicaSeries(container, from: start, to: end),
            oomBytes: kills.compactMap { event in event.memoryBytes.map(Double.init) ?? limitBytes }, oomTimes: kills.map(\.time),
            soleContainer: soleContainer)
    }
}
