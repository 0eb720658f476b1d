import HeadroomCore

/// The hourly price of one vCPU and one GiB of requests, and the hours in a billing month: what
/// every monthly figure (advice, quotas, reclamation savings) is computed with, by one formula in
/// integer micro-dollars.
public struct ResourceRates: Sendable, Hashable, Codable {
    public var perVCPUHour: Microdollars
    public var perGiBHour: Microdollars
    public var hoursPerMonth: Int64

    public init(perVCPUHour: Microdollars, perGiBHour: Microdollars, hoursPerMonth: Int64 = BillingMonth.defaultHours) {
        self.perVCPUHour = perVCPUHour
        self.perGiBHour = perGiBHour
        self.hoursPerMonth = hoursPerMonth
    }

    /// The unit prices of the price file (models/pricing/defaults.yaml or the user's terms).
    public init(units: UnitPrices) {
        self.init(perVCPUHour: units.cpuPerVCPUHour, perGiBHour: units.ramPerGiBHour, hoursPerMonth: units.hoursPerMonth)
    }

    /// The rates of a set of priced nodes: their CPU (RAM) part over their allocatable cores
    /// (GiB); the unit prices where the nodes offer none.
    public init(nodes: [PricedNode], units: UnitPrices) {
        let cores = nodes.reduce(0.0) { $0 + Double($1.node.allocatable.cpu?.millicores ?? 0) / 1000 }
        let gib = nodes.reduce(0.0) { $0 + Double($1.node.allocatable.memory?.bytes ?? 0) / Double(1 << 30) }
        self.init(perVCPUHour: cores > 0 ? Microdollars((Double(nodes.reduce(0) { $0 + $1.cpuHourly }) / cores).rounded()) : units.cpuPerVCPUHour,
                  perGiBHour: gib > 0 ? Microdollars((Double(nodes.reduce(0) { $0 + $1.ramHourly }) / gib).rounded()) : units.ramPerGiBHour,
                  hoursPerMonth: units.hoursPerMonth)
    }

    /// (millicores × $/vCPU-h ÷ 1000 + bytes × $/GiB-h ÷ 2³⁰) × hours, as an exact fraction
    /// (numerator over 1000 × 2³⁰) so that rounding happens once.
    private func exactMonthly(_ amounts: ResourceAmounts) -> Int128 {
        let cpu = Int128(max(amounts.cpu?.millicores ?? 0, 0)) * Int128(perVCPUHour) << 30
        let ram = Int128(max(amounts.memory?.bytes ?? 0, 0)) * Int128(perGiBHour) * 1000
        return (cpu + ram) * Int128(hoursPerMonth)
    }

    private static let denominator = Int128(1000) << 30

    /// A month of `replicas` pods holding `amounts`, rounded half up to the micro-dollar once.
    public func monthly(_ amounts: ResourceAmounts, replicas: Int = 1) -> Microdollars {
        let numerator = exactMonthly(amounts) * Int128(max(replicas, 0))
        return Microdollars(clamping: (numerator + Self.denominator / 2) / Self.denominator)
    }

    /// A month at a mean replica count (an HPA's replayed average), rounded to the micro-dollar.
    public func monthly(_ amounts: ResourceAmounts, meanReplicas: Double) -> Microdollars {
        let value = Double(exactMonthly(amounts)) / Double(Self.denominator) * max(meanReplicas, 0)
        return value.isFinite && value < Double(Int64.max) ? Microdollars(value.rounded()) : .max
    }
}

extension ResourceRates {
    /// The rates allocation charges in each node pool (its nodes' CPU and RAM parts per
    /// allocatable core and GiB), so advice, quotas and reports price a request alike.
    public static func perPool(_ nodes: [PricedNode], units: UnitPrices) -> [String: ResourceRates] {
        Dictionary(grouping: nodes) { NodePools.name(of: $0.node) }.mapValues { ResourceRates(nodes: $0, units: units) }
    }
}
