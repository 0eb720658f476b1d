import HeadroomCore
import HeadroomHistory
import HeadroomRecommend

extension HistoryStore {
    /// One container's history over `[start, end)` as advice needs it (I/O only).
    func containerHistory(_ container: ContainerID, current: InventoryRecord?, ooms: [ContainerEvent], from start: Int64, to end: Int64,
                          soleContainer: Bool) throws(HistoryError) -> ContainerHistory {
        func series(_ resource: ResourceKind, _ statistic: BucketStatistic) throws(HistoryError) -> RegularSeries {
            try self.series(container, resource: resource, statistic: statistic, from: start, to: end)
        }
        let limitBytes = current?.limits.memory.map { Double($0.bytes) }
        let kills = ooms.filter { $0.container == container && $0.time >= start && $0.time < end }
        return ContainerHistory(
            container: container, current: current,
            cpuMean: try series(.cpu, .mean), cpuMax: try series(.cpu, .max),
            memoryMean: try series(.memory, .mean), memoryMax: try series(.memory, .max),
            replicas: try replicaSeries(container, from: start, to: end),
            oomBytes: kills.compactMap { event in event.memoryBytes.map(Double.init) ?? limitBytes }, oomTimes: kills.map(\.time),
            soleContainer: soleContainer)
    }
}
