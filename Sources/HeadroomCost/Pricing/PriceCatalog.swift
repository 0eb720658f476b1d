import HeadroomCore
import HeadroomRecommend

/// A node type with its list prices (per hour).
public struct CatalogNodeType: Sendable, Hashable {
    public var name: String
    public var vcpu: Int
    public var memoryGiB: Int
    public var maxPods: Int
    public var onDemand: Microdollars
    /// Spot/preemptible price where the source has one (GCP); nil elsewhere.
    public var spot: Microdollars?

    public init(name: String, vcpu: Int, memoryGiB: Int, maxPods: Int, onDemand: Microdollars, spot: Microdollars? = nil) {
        self.name = name
        self.vcpu = vcpu
        self.memoryGiB = memoryGiB
        self.maxPods = maxPods
        self.onDemand = onDemand
        self.spot = spot
    }
}

/// Per-resource prices for nodes of unknown type and for volumes.
public struct UnitPrices: Sendable, Hashable {
    public var cpuPerVCPUHour: Microdollars
    public var ramPerGiBHour: Microdollars
    public var spotCPUPerVCPUHour: Microdollars
    public var spotRAMPerGiBHour: Microdollars
    public var storagePerGiBMonth: Microdollars
    /// Hours in a billing month (the price file's `hours_per_month`).
    public var hoursPerMonth: Int64

    public init(cpuPerVCPUHour: Microdollars, ramPerGiBHour: Microdollars, spotCPUPerVCPUHour: Microdollars,
                spotRAMPerGiBHour: Microdollars, storagePerGiBMonth: Microdollars, hoursPerMonth: Int64 = BillingMonth.defaultHours) {
        self.cpuPerVCPUHour = cpuPerVCPUHour
        self.ramPerGiBHour = ramPerGiBHour
        self.spotCPUPerVCPUHour = spotCPUPerVCPUHour
        self.spotRAMPerGiBHour = spotRAMPerGiBHour
        self.storagePerGiBMonth = storagePerGiBMonth
        self.hoursPerMonth = hoursPerMonth
    }

    /// OpenCost's shipped defaults, the figures of models/pricing/defaults.yaml (tests check the
    /// file against them; the engine always prices from the file).
    public static let openCostDefaults = UnitPrices(cpuPerVCPUHour: 31_611, ramPerGiBHour: 4_237, spotCPUPerVCPUHour: 6_655,
                                                    spotRAMPerGiBHour: 892, storagePerGiBMonth: 40_000)
}

/// Committed capacity billed at its own rate (reserved instances, savings plans, CUDs): the first
/// `count` nodes of the type are priced at `pricePerHour`.
public struct ReservedCapacity: Sendable, Hashable {
    public var instanceType: String
    public var count: Int
    public var pricePerHour: Microdollars

    public init(instanceType: String, count: Int, pricePerHour: Microdollars) {
        self.instanceType = instanceType
        self.count = count
        self.pricePerHour = pricePerHour
    }
}

/// What a node costs per hour, split into a CPU part and a RAM part that add up to it exactly.
public struct PricedNode: Sendable, Hashable {
    public var node: NodeRecord
    public var hourly: Microdollars
    public var cpuHourly: Microdollars
    public var ramHourly: Microdollars
    /// How the price was found: "on-demand", "negotiated", "reserved", "unit prices (type unknown)".
    public var basis: String
}

/// Node list prices plus the user's terms: negotiated prices per type, a flat discount, reserved
/// capacity. Money is integer micro-dollars throughout.
public struct PriceCatalog: Sendable {
    public var nodeTypes: [String: CatalogNodeType]
    public var units: UnitPrices
    /// Flat discount on on-demand and negotiated prices, in basis points (1,250 = 12.5 %).
    public var discountBasisPoints: Int64 = 0
    public var negotiated: [String: Microdollars] = [:]
    public var reserved: [ReservedCapacity] = []

    public init(nodeTypes: [CatalogNodeType], units: UnitPrices) {
        self.nodeTypes = Dictionary(nodeTypes.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        self.units = units
    }

    /// Prices every node: reserved slots go to the first nodes of their type (by name), then
    /// negotiated or list prices less the discount; a type the catalog lacks is priced at the
    /// unit prices from its capacity.
    public func price(_ nodes: [NodeRecord]) -> [PricedNode] {
        var reservedLeft = Dictionary(reserved.map { ($0.instanceType, ($0.count, $0.pricePerHour)) }, uniquingKeysWith: { $1 })
        return nodes.sorted { $0.name < $1.name }.map { node in
            let cpuMillicores = (node.capacity.cpu ?? node.allocatable.cpu)?.millicores ?? 0
            let memoryBytes = (node.capacity.memory ?? node.allocatable.memory)?.bytes ?? 0
            var hourly: Microdollars
            var basis: String
            if let type = node.instanceType, let slot = reservedLeft[type], slot.0 > 0 {
                reservedLeft[type] = (slot.0 - 1, slot.1)
                hourly = slot.1
                basis = "reserved"
            } else if let type = node.instanceType, let price = negotiated[type] {
                hourly = discounted(price)
                basis = "negotiated" + discountSuffix
            } else if let type = node.instanceType, let listed = nodeTypes[type] {
                hourly = discounted(listed.onDemand)
                basis = "on-demand" + discountSuffix
            } else {
                hourly = discounted(cpuMillicores * units.cpuPerVCPUHour / 1000 + Int64((Double(memoryBytes) / Double(1 << 30) * Double(units.ramPerGiBHour)).rounded()))
                basis = "unit prices (type \(node.instanceType ?? "unknown") not in the catalog)" + discountSuffix
            }
            let (cpu, ram) = split(hourly, cpuMillicores: cpuMillicores, memoryBytes: memoryBytes)
            return PricedNode(node: node, hourly: hourly, cpuHourly: cpu, ramHourly: ram, basis: basis)
        }
    }

    /// ` less 12.5 % discount` when a discount applies.
    var discountSuffix: String { discountBasisPoints > 0 ? " less \(discountPercent) % discount" : "" }

    /// The discount as a percentage without trailing zeros (1,250 basis points: `12.5`).
    var discountPercent: String {
        let whole = discountBasisPoints / 100, fraction = discountBasisPoints % 100
        return "\(whole)" + (fraction == 0 ? "" : fraction % 10 == 0 ? ".\(fraction / 10)" : ".\(fraction < 10 ? "0" : "")\(fraction)")
    }

    func discounted(_ price: Microdollars) -> Microdollars {
        price - (price * discountBasisPoints + 5_000) / 10_000
    }

    /// Splits a node's price in the ratio of its CPU and RAM at the unit prices (OpenCost's
    /// approach); the RAM part is the remainder, so the parts add up to the price exactly.
    public func split(_ price: Microdollars, cpuMillicores: Int64, memoryBytes: Int64) -> (cpu: Microdollars, ram: Microdollars) {
        let cpuWeight = Double(cpuMillicores) / 1000 * Double(units.cpuPerVCPUHour)
        let ramWeight = Double(memoryBytes) / Double(1 << 30) * Double(units.ramPerGiBHour)
        guard cpuWeight + ramWeight > 0 else { return (price, 0) }
        let cpu = Microdollars((Double(price) * cpuWeight / (cpuWeight + ramWeight)).rounded())
        return (cpu, price - cpu)
    }

    /// Monthly price of a persistent volume at the storage rate.
    public func volumeMonthly(bytes: Int64) -> Microdollars {
        Microdollars((Double(bytes) / Double(1 << 30) * Double(units.storagePerGiBMonth)).rounded())
    }
}

extension PriceCatalog {
    /// Node types for pool planning at the user's prices (negotiated, else list less the
    /// discount), in the order given; names the catalog lacks are skipped.
    public func planningTypes(_ names: [String]) -> [NodeType] {
        names.compactMap { name in
            guard let type = nodeTypes[name] else { return nil }
            return NodeType(name: name, vcpu: type.vcpu, memoryGiB: type.memoryGiB, maxPods: type.maxPods,
                            microdollarsPerHour: discounted(negotiated[name] ?? type.onDemand))
        }
    }
}

extension PriceCatalog {
    /// What the prices are: "on-demand list prices", or the list prices with the user's terms
    /// named (discount, negotiated types, reserved capacity), for the labels of tables and reports.
    public var termsLabel: String {
        var terms: [String] = []
        if discountBasisPoints > 0 { terms.append("\(discountPercent) % discount") }
        if !negotiated.isEmpty { terms.append("negotiated prices for \(negotiated.keys.sorted().joined(separator: ", "))") }
        if !reserved.isEmpty { terms.append("reserved \(reserved.map { "\($0.count) × \($0.instanceType)" }.joined(separator: ", "))") }
        return terms.isEmpty ? "on-demand list prices" : "list prices with your terms: " + terms.joined(separator: "; ")
    }
}
