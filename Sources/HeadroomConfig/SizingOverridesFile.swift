import HeadroomCore
import HeadroomRecommend

/// Reads a sizing overrides file (`headroom advise --overrides FILE`; example in
/// `models/advise/overrides.example.yaml`) into `SizingOverrides`: `defaults`, then `overrides`
/// with their selectors; every bad key or value is an error at its line.
public enum SizingOverridesFile {
    public static func load(_ path: String) throws(ConfigError) -> SizingOverrides {
        try parse(LocatedYAML.load(path))
    }

    public static func parse(_ document: LocatedYAML) throws(ConfigError) -> SizingOverrides {
        var file = SizingOverrides()
        for (key, value) in try document.mapping(allowed: ["defaults", "overrides"], what: "the overrides file") {
            if key == "defaults" {
                file.defaults = try rule(value, selectors: [], what: "defaults").override
            } else {
                for (index, entry) in try value.sequence(what: "overrides").enumerated() {
                    file.rules.append(try rule(entry, selectors: ["namespace", "workload", "container"], what: "overrides[\(index)]"))
                }
            }
        }
        return file
    }

    private static func rule(_ node: LocatedYAML, selectors: Set<String>, what: String) throws(ConfigError) -> SizingOverrides.Rule {
        var rule = SizingOverrides.Rule(override: SizingOverride())
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
}
