import HeadroomCore

/// One container's stored usage and declared state over a window: what advice loads for it.
public struct StoredHistory: Sendable, Equatable {
    /// 5-minute CPU and memory buckets in the window, in time order.
    public var cpu: [BucketStats]
    public var memory: [BucketStats]
    /// The declared state per 5-minute step of the window (the latest record at or before each step).
    public var declared: [InventoryRecord?]

    public init(cpu: [BucketStats], memory: [BucketStats], declared: [InventoryRecord?]) {
        self.cpu = cpu
        self.memory = memory
        self.declared = declared
    }
}

extension HistoryStore {
    /// Each container read on its own: SQLite answers each read from the file without a round trip.
    public func histories(_ containers: [ContainerID], from: Int64, to: Int64) throws(HistoryError) -> [ContainerID: StoredHistory] {
        var histories: [ContainerID: StoredHistory] = [:]
        for container in containers {
            histories[container] = StoredHistory(cpu: try buckets(container, resource: .cpu, from: from, to: to),
                                                 memory: try buckets(container, resource: .memory, from: from, to: to),
                                                 declared: try inventorySeries(container, from: from, to: to, step: 300))
        }
        return histories
    }
}
