/// A CPU and memory pair, either of which may be unset (a container without a CPU limit, say).
public struct ResourceAmounts: Hashable, Sendable, Codable {
    public var cpu: CPUQuantity?
    public var memory: MemoryQuantity?

    public init(cpu: CPUQuantity? = nil, memory: MemoryQuantity? = nil) {
        self.cpu = cpu
        self.memory = memory
    }

    public static let none = ResourceAmounts()
    /// Both parts set to zero: the start of a sum.
    public static let zero = ResourceAmounts(cpu: CPUQuantity(millicores: 0), memory: MemoryQuantity(bytes: 0))

    /// Part by part, an unset part counting as zero; both parts of the sum are set. Saturates
    /// instead of trapping (inputs are bounded by `InputLimits`, so real totals never get there).
    public static func + (lhs: ResourceAmounts, rhs: ResourceAmounts) -> ResourceAmounts {
        ResourceAmounts(cpu: CPUQuantity(millicores: (lhs.cpu?.millicores ?? 0).saturatingAdd(rhs.cpu?.millicores ?? 0)),
                        memory: MemoryQuantity(bytes: (lhs.memory?.bytes ?? 0).saturatingAdd(rhs.memory?.bytes ?? 0)))
    }

    /// `count` of these (a pod's requests × its replicas); unset parts count as zero; saturates.
    public func times(_ count: Int) -> ResourceAmounts {
        ResourceAmounts(cpu: CPUQuantity(millicores: (cpu?.millicores ?? 0).saturatingMultiply(Int64(count))),
                        memory: MemoryQuantity(bytes: (memory?.bytes ?? 0).saturatingMultiply(Int64(count))))
    }
}
