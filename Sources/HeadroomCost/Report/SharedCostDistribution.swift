/// Spreads the cost of shared namespaces (kube-system, monitoring…) over the others, keeping
/// every micro-dollar: the parts always add up to the shared total.
public enum SharedCostDistribution: String, Sendable, CaseIterable {
    /// Each other namespace takes the same part.
    case uniform
    /// In proportion to each namespace's own cost.
    case proportional
    /// Shared namespaces stay as their own lines.
    case none

    /// Parts of `shared` for each of `costs` (same order). Remainders go one micro-dollar at a
    /// time to the largest fractional parts (ties: earlier first).
    public func split(_ shared: Microdollars, over costs: [Microdollars]) -> [Microdollars] {
        guard self != .none, shared != 0, !costs.isEmpty else { return Array(repeating: 0, count: costs.count) }
        let weights: [Int128] = self == .uniform || costs.allSatisfy({ $0 <= 0 }) ? costs.map { _ in 1 } : costs.map { Int128(max($0, 0)) }
        let total = weights.reduce(0, +)
        var parts = weights.map { Microdollars(Int128(shared) * $0 / total) }
        var remainder = shared - parts.reduce(0, +)
        let order = weights.indices.sorted { lhs, rhs in
            let a = Int128(shared) * weights[lhs] % total, b = Int128(shared) * weights[rhs] % total
            return a != b ? a > b : lhs < rhs
        }
        var index = 0
        while remainder != 0 {
            let step: Microdollars = remainder > 0 ? 1 : -1
            parts[order[index % order.count]] += step
            remainder -= step
            index += 1
        }
        return parts
    }
}
