import HeadroomCore

/// Per-workload sizing overrides: `defaults` for every container, then `rules` matched by
/// namespace, workload and container (an omitted selector matches any), later ones winning.
/// Annotations on the workload (`headroom.io/KEY`) win over both. HeadroomConfig reads them from
/// a file (`headroom advise --overrides FILE`; example in `models/advise/overrides.example.yaml`).
public struct SizingOverrides: Sendable {
    public struct Rule: Sendable {
        public var namespace: String?
        public var workload: String?
        public var container: String?
        public var override: SizingOverride

        public init(namespace: String? = nil, workload: String? = nil, container: String? = nil, override: SizingOverride) {
            self.namespace = namespace
            self.workload = workload
            self.container = container
            self.override = override
        }

        public func matches(_ id: ContainerID) -> Bool {
            (namespace == nil || namespace == id.workload.namespace) && (workload == nil || workload == id.workload.name)
                && (container == nil || container == id.container)
        }
    }

    public var defaults = SizingOverride()
    public var rules: [Rule] = []

    public init(defaults: SizingOverride = SizingOverride(), rules: [Rule] = []) {
        self.defaults = defaults
        self.rules = rules
    }

    /// The policy for one container: base ← defaults ← matching rules in order ← annotations.
    public func policy(for id: ContainerID, annotations: [String: String], base: SizingPolicy = SizingPolicy()) throws(SizingOverride.Invalid) -> SizingPolicy {
        var policy = defaults.applied(to: base)
        for rule in rules where rule.matches(id) { policy = rule.override.applied(to: policy) }
        return try SizingOverride.fromAnnotations(annotations).applied(to: policy)
    }
}
