/// A monthly budget over a set of namespaces (one namespace, or an environment's several), a
/// label selector (workloads whose labels include all of `labels`, such as team=payments), or both.
public struct Budget: Sendable, Hashable {
    public var name: String
    public var namespaces: [String]
    public var labels: [String: String] = [:]
    public var monthly: Microdollars
    /// Percentages of the budget at which the projection warns (ascending).
    public var thresholds: [Int]
    public var line: Int?

    public init(name: String, namespaces: [String], labels: [String: String] = [:], monthly: Microdollars, thresholds: [Int], line: Int?) {
        self.name = name
        self.namespaces = namespaces
        self.labels = labels
        self.monthly = monthly
        self.thresholds = thresholds
        self.line = line
    }

    /// Whether a workload in `namespace` with `labels` counts against this budget.
    public func covers(namespace: String, labels workloadLabels: [String: String]) -> Bool {
        (namespaces.isEmpty || namespaces.contains(namespace)) && labels.allSatisfy { workloadLabels[$0.key] == $0.value }
    }
}
