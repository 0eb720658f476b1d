import HeadroomCore

/// One generated observation of one pod's container, with the declared state at that time.
public struct DemoSample: Sendable {
    public var time: Int64
    public var workload: DemoWorkloadSpec
    public var pod: String
    public var zone: String
    public var replicas: Int
    public var cpuMillicores: Double
    public var memoryBytes: Double
    public var oomKilled: Bool
}
