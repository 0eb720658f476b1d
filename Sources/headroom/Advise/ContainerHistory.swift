import HeadroomCore
import HeadroomHistory

/// What `advise` reads from the store for one container: its 5-minute series over the history
/// window, declared state, replica counts over time and OOM kills. Loading is the only I/O;
/// everything after works on this value.
struct ContainerHistory: Sendable {
    var container: ContainerID
    var current: InventoryRecord?
    var cpuMean: RegularSeries
    var cpuMax: RegularSeries
    var memoryMean: RegularSeries
    var memoryMax: RegularSeries
    /// Declared replicas per step of the series (nil before the first inventory record).
    var replicas: [Int?]
    /// Working set at each OOM kill in the window (the limit when the event did not say).
    var oomBytes: [Double]
    var oomTimes: [Int64]
    /// True when the workload has this one container (HPA advice needs the pod's whole request).
    var soleContainer: Bool
}

extension HistoryStore {
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
