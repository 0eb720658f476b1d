/// A CPU and memory pair, either of which may be unset (a container without a CPU limit, say).
public struct ResourceAmounts: Hashable, Sendable, Codable {
    public var cpu: CPUQuantity?
    public var memory: MemoryQuantity?

    public init(cpu: CPUQuantity? = nil, memory: MemoryQuantity? = nil) {
        self.cpu = cpu
        self.memory = memory
    }

    public static let none = ResourceAmounts()
}
