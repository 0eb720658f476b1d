import HeadroomCore

/// What advice needs of one container over the history window: its 5-minute series, declared
/// state, replica counts over time and OOM kills. HeadroomEngine loads it from the store;
/// everything after works on this value.
public struct ContainerHistory: Sendable {
    public var container: ContainerID
    public var current: InventoryRecord?
    public var cpuMean: RegularSeries
    public var cpuMax: RegularSeries
    public var memoryMean: RegularSeries
    public var memoryMax: RegularSeries
    /// Declared replicas per step of the series (nil before the first inventory record).
    public var replicas: [Int?]
    /// Working set at each OOM kill in the window (the limit when the event did not say).
    public var oomBytes: [Double]
    public var oomTimes: [Int64]
    /// True when the workload has this one container (HPA advice needs the pod's whole request).
    public var soleContainer: Bool

    public init(container: ContainerID, current: InventoryRecord?, cpuMean: RegularSeries, cpuMax: RegularSeries, memoryMean: RegularSeries,
                memoryMax: RegularSeries, replicas: [Int?], oomBytes: [Double], oomTimes: [Int64], soleContainer: Bool) {
        self.container = container
        self.current = current
        self.cpuMean = cpuMean
        self.cpuMax = cpuMax
        self.memoryMean = memoryMean
        self.memoryMax = memoryMax
        self.replicas = replicas
        self.oomBytes = oomBytes
        self.oomTimes = oomTimes
        self.soleContainer = soleContainer
    }
}
