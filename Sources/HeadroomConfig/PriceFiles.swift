import Foundation
import HeadroomCore
import HeadroomCost

/// Reads the price catalog from `models/pricing/` (node type files and defaults.yaml) and the
/// user's own terms file; every bad value is an error at its line.
public enum PriceFiles {
    /// The catalog files shipped in `models/pricing/`, relative to the models directory.
    public static let nodeFiles = ["pricing/nodes-aws-us-east-1.yaml", "pricing/nodes-gcp-us-central1.yaml"]
    public static let defaultsFile = "pricing/defaults.yaml"

    /// Loads the shipped catalog from `models` (the directory), then applies `overrides` if given.
    public static func load(models: String, overrides: String? = nil) throws(ConfigError) -> PriceCatalog {
        var types: [CatalogNodeType] = []
        for file in nodeFiles { types += try nodeTypes(LocatedYAML.load("\(models)/\(file)")) }
        var catalog = PriceCatalog(nodeTypes: types, units: try units(LocatedYAML.load("\(models)/\(defaultsFile)")))
        if let overrides { try apply(LocatedYAML.load(overrides), to: &catalog) }
        return catalog
    }

    static func price(_ node: LocatedYAML, what: String) throws(ConfigError) -> Microdollars {
        let text = try node.string(what: what)
        if text.hasPrefix("-") { throw node.fail("\(what) \(text) is negative: prices cannot be") }
        guard let value = Money.microdollars(text) else { throw node.fail("\(what) \"\(text)\" is not a USD amount") }
        return value
    }

    public static func nodeTypes(_ document: LocatedYAML) throws(ConfigError) -> [CatalogNodeType] {
        var types: [CatalogNodeType] = []
        for (key, value) in try document.mapping(allowed: ["source", "nodeTypes"], what: "a node catalog") where key == "nodeTypes" {
            for (index, entry) in try value.sequence(what: "nodeTypes").enumerated() {
                let what = "nodeTypes[\(index)]"
                _ = try entry.mapping(allowed: ["name", "vcpu", "memoryGiB", "maxPods", "usdPerHour", "spotUsdPerHour"], what: what)
                types.append(CatalogNodeType(
                    name: try entry.required("name", in: what).string(what: "\(what).name"),
                    vcpu: try entry.required("vcpu", in: what).integer(what: "\(what).vcpu", in: 1...1024),
                    memoryGiB: try entry.required("memoryGiB", in: what).integer(what: "\(what).memoryGiB", in: 1...65_536),
                    maxPods: try entry.required("maxPods", in: what).integer(what: "\(what).maxPods", in: 1...1000),
                    onDemand: try price(entry.required("usdPerHour", in: what), what: "\(what).usdPerHour"),
                    spot: try entry.optional("spotUsdPerHour").map { node throws(ConfigError) in try price(node, what: "\(what).spotUsdPerHour") }))
            }
        }
        return types
    }

    static func units(_ document: LocatedYAML) throws(ConfigError) -> UnitPrices {
        let keys: Set = ["cpu_usd_per_vcpu_hour", "ram_usd_per_gib_hour", "spot_cpu_usd_per_vcpu_hour", "spot_ram_usd_per_gib_hour",
                         "storage_usd_per_gib_month", "hours_per_month"]
        _ = try document.mapping(allowed: keys, what: "the defaults file")
        func value(_ key: String) throws(ConfigError) -> Microdollars { try price(document.required(key, in: "the defaults file"), what: key) }
        // A billing month of 28 to 31 days; 730 (365 × 24 / 12) when the file does not say.
        let hours = try document.optional("hours_per_month").map { node throws(ConfigError) in
            Int64(try node.integer(what: "hours_per_month", in: 672...744))
        } ?? BillingMonth.defaultHours
        return UnitPrices(cpuPerVCPUHour: try value("cpu_usd_per_vcpu_hour"), ramPerGiBHour: try value("ram_usd_per_gib_hour"),
                          spotCPUPerVCPUHour: try value("spot_cpu_usd_per_vcpu_hour"), spotRAMPerGiBHour: try value("spot_ram_usd_per_gib_hour"),
                          storagePerGiBMonth: try value("storage_usd_per_gib_month"), hoursPerMonth: hours)
    }

    /// The user's terms (example: models/pricing/overrides.example.yaml).
    public static func apply(_ document: LocatedYAML, to catalog: inout PriceCatalog) throws(ConfigError) {
        let entries = try document.mapping(allowed: ["currency", "discountPercent", "unitPrices", "nodeTypes", "reserved"], what: "the price overrides")
        for (key, value) in entries {
            switch key {
            case "currency":
                let currency = try value.string(what: "currency")
                guard currency == "USD" else { throw value.fail("currency \"\(currency)\" is not supported: the catalog is in USD") }
            case "discountPercent":
                let percent = try value.number(what: "discountPercent", in: 0...99.99)
                catalog.discountBasisPoints = Int64((percent * 100).rounded())
            case "unitPrices":
                let allowed: Set = ["cpuPerVCPUHour", "ramPerGiBHour", "spotCPUPerVCPUHour", "spotRAMPerGiBHour", "storagePerGiBMonth"]
                for (name, amount) in try value.mapping(allowed: allowed, what: "unitPrices") {
                    let micro = try price(amount, what: "unitPrices.\(name)")
                    switch name {
                    case "cpuPerVCPUHour": catalog.units.cpuPerVCPUHour = micro
                    case "ramPerGiBHour": catalog.units.ramPerGiBHour = micro
                    case "spotCPUPerVCPUHour": catalog.units.spotCPUPerVCPUHour = micro
                    case "spotRAMPerGiBHour": catalog.units.spotRAMPerGiBHour = micro
                    default: catalog.units.storagePerGiBMonth = micro
                    }
                }
            case "nodeTypes":
                for (name, amount) in try value.mapping(what: "nodeTypes") {
                    guard catalog.nodeTypes[name] != nil else {
                        throw amount.fail("unknown instance type \"\(name)\" (not in the catalog; known: \(catalog.nodeTypes.keys.sorted().prefix(6).joined(separator: ", "))…)")
                    }
                    catalog.negotiated[name] = try price(amount, what: "nodeTypes.\(name)")
                }
            default:
                for (index, entry) in try value.sequence(what: "reserved").enumerated() {
                    let what = "reserved[\(index)]"
                    _ = try entry.mapping(allowed: ["instanceType", "count", "usdPerHour"], what: what)
                    let typeNode = try entry.required("instanceType", in: what)
                    let type = try typeNode.string(what: "\(what).instanceType")
                    guard catalog.nodeTypes[type] != nil else { throw typeNode.fail("unknown instance type \"\(type)\" in \(what)") }
                    catalog.reserved.append(ReservedCapacity(
                        instanceType: type, count: try entry.required("count", in: what).integer(what: "\(what).count", in: 1...100_000),
                        pricePerHour: try price(entry.required("usdPerHour", in: what), what: "\(what).usdPerHour")))
                }
            }
        }
    }
}
