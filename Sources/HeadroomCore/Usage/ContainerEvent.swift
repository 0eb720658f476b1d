/// Something that happened to a container that usage alone does not show.
public struct ContainerEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The container was killed for exceeding its memory limit.
        case oomKilled
        /// The container restarted (for any reason).
        case restart
    }

    public var container: ContainerID
    public var pod: String
    /// Unix seconds.
    public var time: Int64
    public var kind: Kind
    /// Memory working set at the time, when known (OOM sizing uses it).
    public var memoryBytes: Int64?

    public init(container: ContainerID, pod: String, time: Int64, kind: Kind, memoryBytes: Int64? = nil) {
        self.container = container
        self.pod = pod
        self.time = time
        self.kind = kind
        self.memoryBytes = memoryBytes
    }
}
