/// The two resources Headroom sizes. Usage values are CPU millicores or memory bytes.
public enum ResourceKind: String, CaseIterable, Hashable, Comparable, Sendable, Codable {
    case cpu
    case memory

    /// Stored code: keep stable, the history store persists it.
    public var code: Int {
        switch self {
        case .cpu: 0
        case .memory: 1
        }
    }

    public init?(code: Int) {
        switch code {
        case 0: self = .cpu
        case 1: self = .memory
        default: return nil
        }
    }

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.code < rhs.code }
}
