import HeadroomCore
import HeadroomCost

/// What `cost allocate` answers: the window, the priced nodes and the stored rows.
public struct AllocationSummary: Sendable, Encodable {
    public struct Node: Sendable, Encodable {
        public var name: String
        public var pool: String
        public var instanceType: String?
        public var hourlyMicrodollars: Int64
        public var basis: String
    }
    public var start: Int64
    public var hours: Int
    public var days: Int
    public var nodes: [Node]
    public var pools: [StoredPoolCost]
    public var containers: [StoredContainerCost]
    public var unattachedVolumeMicrodollars: Int64
}
