/// A monthly budget over a set of namespaces (one namespace, or an environment's several), a
/// label selector (workloads whose labels include all of `labels`, such as team=payments), or both;
/// in the clusters it names, or in every cluster evaluated when it names none.
public struct Budget: Sendable, Hashable {
    public var name: String
    public var namespaces: [String]
    public var labels: [String: String] = [:]
    /// The clusters it spans (empty: every cluster evaluated, the one of a single-cluster check).
    public var clusters: [String] = []
    public var monthly: Microdollars
    /// Percentages of the budget at which the projection warns (ascending).
    public var thresholds: [Int]
    public var line: Int?

    public init(name: String, namespaces: [String], labels: [String: String] = [:], clusters: [String] = [], monthly: Microdollars,
                thresholds: [Int], line: Int?) {
        self.name = name
        self.namespaces = namespaces
        self.labels = labels
        self.clusters = clusters
        self.monthly = monthly
        self.thresholds = thresholds
        self.line = line
    }

    /// Whether a workload of `cluster` in `namespace` with `labels` counts against this budget.
    public func covers(cluster: String, namespace: String, labels workloadLabels: [String: String]) -> Bool {
        (clusters.isEmpty || clusters.contains(cluster)) && (namespaces.isEmpty || namespaces.contains(namespace))
            && labels.allSatisfy { workloadLabels[$0.key] == $0.value }
    }
}
