/// What a cost report groups by: a namespace, a workload, a container, a node pool, or the value
/// of one label (`label:team`).
public enum CostGrouping: Sendable, Hashable {
    case namespace, workload, container, pool
    case label(String)

    /// `namespace`, `workload`, `container`, `pool` or `label:KEY`.
    public init?(argument: String) {
        switch argument {
        case "namespace": self = .namespace
        case "workload": self = .workload
        case "container": self = .container
        case "pool": self = .pool
        default:
            guard argument.hasPrefix("label:"), argument.count > 6 else { return nil }
            self = .label(String(argument.dropFirst(6)))
        }
    }

    public var name: String {
        switch self {
        case .namespace: "namespace"
        case .workload: "workload"
        case .container: "container"
        case .pool: "pool"
        case .label(let key): "label:\(key)"
        }
    }
}
