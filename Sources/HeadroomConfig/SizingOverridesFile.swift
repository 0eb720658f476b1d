import HeadroomCore
import HeadroomRecommend

/// A sizing overrides file (`headroom advise --overrides FILE`; example in
/// `models/advise/overrides.example.yaml`): `defaults` for every container, then `overrides`
/// matched by namespace, workload and container (an omitted selector matches any), later ones
/// winning. Annotations on the workload (`headroom.io/KEY`) win over the file.
public struct SizingOverridesFile: Sendable {
    public struct Rule: Sendable {
        public var namespace: String?
        public var workload: String?
        public var container: String?
        public var override: SizingOverride

        public func matches(_ id: ContainerID) -> Bool {
            (namespace == nil || namespace == id.workload.namespace) && (workload == nil || workload == id.workload.name)
                && (container == nil || container == id.container)
        }
    }

    public var defaults = SizingOverride()
    public var rules: [Rule] = []

    public init() {}

    public static func load(_ path: String) throws(ConfigError) -> SizingOverridesFile {
        try parse(LocatedYAML.load(path))
    }

    public static func parse(_ document: LocatedYAML) throws(ConfigError) -> SizingOverridesFile {
        var file = SizingOverridesFile()
        for (key, value) in try document.mapping(allowed: ["defaults", "overrides"], what: "the overrides file") {
            if key == "defaults" {
                file.defaults = try override(value, selectors: [], what: "defaults").override
            } else {
                for (index, entry) in try value.sequence(what: "overrides").enumerated() {
                    file.rules.append(try override(entry, selectors: ["namespace", "workload", "container"], what: "overrides[\(index)]"))
                }
            }
        }
        return file
    }

    private static func override(_ node: LocatedYAML, selectors: Set<String>, what: String) throws(ConfigError) -> Rule {
        var rule = Rule(override: SizingOverride())
        for (key, value) in try node.mapping(allowed: selectors.union(SizingOverride.keys), what: what) {
            let text = try value.string(what: "\(what).\(key)")
            switch key {
            case "namespace": rule.namespace = text
            case "workload": rule.workload = text
            case "container": rule.container = text
            default:
                do { try rule.override.set(key, text) } catch { throw value.fail("\(what).\(error)") }
            }
        }
        return rule
    }

    /// The policy for one container: base ← defaults ← matching rules in order ← annotations.
    public func policy(for id: ContainerID, annotations: [String: String], base: SizingPolicy = SizingPolicy()) throws(SizingOverride.Invalid) -> SizingPolicy {
        var policy = defaults.applied(to: base)
        for rule in rules where rule.matches(id) { policy = rule.override.applied(to: policy) }
        return try SizingOverride.fromAnnotations(annotations).applied(to: policy)
    }
}
