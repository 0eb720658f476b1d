import HeadroomCore

/// The one rule for which node pool a container is charged in. Nodes without a recognised pool
/// label form the pool `default`. A container goes to its declared pool when nodes of that pool
/// exist; otherwise to the unlabelled nodes' pool when there is one, or to the cluster's only
/// pool; otherwise it has no priced pool and pays the unit prices. So a cluster whose nodes carry
/// no pool label never counts every node as idle while charging its containers again at unit
/// prices. Allocation, advice pricing, budget quotas and reclamation all use it.
public struct NodePools: Sendable, Hashable {
    /// The pool of nodes that carry no recognised pool label.
    public static let unlabelled = "default"

    public static func name(of node: NodeRecord) -> String { node.nodePool ?? unlabelled }

    /// Pools that have nodes.
    public let names: Set<String>

    public init(_ nodes: [NodeRecord]) {
        names = Set(nodes.map(Self.name(of:)))
    }

    /// The pool a container declared to run in (`nil`: unknown) is charged in; nil when no
    /// priced pool takes it.
    public func pool(forDeclared declared: String?) -> String? {
        if let declared, names.contains(declared) { return declared }
        if names.contains(Self.unlabelled) { return Self.unlabelled }
        return names.count == 1 ? names.first : nil
    }
}
