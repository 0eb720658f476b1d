/// A container's allocated cost on one UTC day, as stored.
public struct StoredContainerCost: Hashable, Sendable, Codable {
    public var day: Int64
    public var container: ContainerID
    public var pool: String?
    public var cpuMicrodollars: Int64
    public var ramMicrodollars: Int64
    /// Persistent volumes of the workload (on its first container).
    public var pvMicrodollars: Int64
    public var total: Int64 { cpuMicrodollars + ramMicrodollars + pvMicrodollars }

    public init(day: Int64, container: ContainerID, pool: String?, cpuMicrodollars: Int64, ramMicrodollars: Int64, pvMicrodollars: Int64 = 0) {
        self.day = day
        self.container = container
        self.pool = pool
        self.cpuMicrodollars = cpuMicrodollars
        self.ramMicrodollars = ramMicrodollars
        self.pvMicrodollars = pvMicrodollars
    }
}

/// A node pool's cost and idle share on one UTC day, as stored.
public struct StoredPoolCost: Hashable, Sendable, Codable {
    public var day: Int64
    public var pool: String
    public var nodeMicrodollars: Int64
    public var idleCPUMicrodollars: Int64
    public var idleRAMMicrodollars: Int64
    /// Hours of the day the allocation covered (24 except at the edges of the data).
    public var hours: Int
    public var nodeHours: Int

    public init(day: Int64, pool: String, nodeMicrodollars: Int64, idleCPUMicrodollars: Int64, idleRAMMicrodollars: Int64, hours: Int, nodeHours: Int) {
        self.day = day
        self.pool = pool
        self.nodeMicrodollars = nodeMicrodollars
        self.idleCPUMicrodollars = idleCPUMicrodollars
        self.idleRAMMicrodollars = idleRAMMicrodollars
        self.hours = hours
        self.nodeHours = nodeHours
    }
}

/// A PersistentVolume no workload mounts: its cost on one UTC day, as stored.
public struct StoredVolumeCost: Hashable, Sendable, Codable {
    public var day: Int64
    public var volume: String
    public var microdollars: Int64

    public init(day: Int64, volume: String, microdollars: Int64) {
        self.day = day
        self.volume = volume
        self.microdollars = microdollars
    }
}
