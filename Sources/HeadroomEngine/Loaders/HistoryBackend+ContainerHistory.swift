import HeadroomCore
import HeadroomHistory
import HeadroomRecommend

extension HistoryBackend {
    /// One container's history over `[start, end)` as advice needs it (I/O only).
    func containerHistory(_ container: ContainerID, current: InventoryRecord?, ooms: [ContainerEvent], from start: Int64, to end: Int64,
                          soleContainer: Bool) async throws(HistoryError) -> ContainerHistory {
        let cpu = try await meanAndMaxSeries(container, resource: .cpu, from: start, to: end, resolution: .fiveMinutes)
        let memory = try await meanAndMaxSeries(container, resource: .memory, from: start, to: end, resolution: .fiveMinutes)
        let limitBytes = current?.limits.memory.map { Double($0.bytes) }
        let kills = ooms.filter { $0.container == container && $0.time >= start && $0.time < end }
        return ContainerHistory(
            container: container, current: current,
            cpuMean: cpu.mean, cpuMax: cpu.max, memoryMean: memory.mean, memoryMax: memory.max,
            replicas: try await replicaSeries(container, from: start, to: end, step: 300),
            oomBytes: kills.compactMap { event in event.memoryBytes.map(Double.init) ?? limitBytes }, oomTimes: kills.map(\.time),
            soleContainer: soleContainer)
    }
}
