import HeadroomCore

extension ResourcePrices {
    /// The rates allocation charges in each node pool: its nodes' CPU and RAM parts per
    /// allocatable core and GiB, so advice and cost reports price a request alike.
    public static func perPool(_ nodes: [PricedNode], units: UnitPrices) -> [String: ResourcePrices] {
        Dictionary(grouping: nodes) { $0.node.nodePool ?? "default" }.mapValues { nodes in
            let rates = ResourceRates(nodes: nodes, fallback: units)
            return ResourcePrices(microdollarsPerVCPUHour: rates.perVCPUHour, microdollarsPerGiBHour: rates.perGiBHour)
        }
    }
}
