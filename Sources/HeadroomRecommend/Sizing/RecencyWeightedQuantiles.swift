import Foundation

/// Quantiles of a series in which each value weighs 2^(−age / half-life), as the VPA's decaying
/// histogram weighs samples, read at several cut points of one pass over the series (the
/// prefixes a backtest needs) without sorting each prefix again.
///
/// Values go into log-spaced buckets `resolution` apart (1 % by default), so a quantile is exact
/// to within that factor, read conservatively: the bucket's upper edge, never above the largest
/// value of the prefix. Values at or below `floor` share the first bucket.
public struct RecencyWeightedQuantiles: Sendable {
    public let halfLifeSteps: Double
    public let resolution: Double
    public let floor: Double

    public init(halfLifeSteps: Double, resolution: Double = 0.01, floor: Double) {
        precondition(halfLifeSteps > 0 && resolution > 0 && floor > 0)
        self.halfLifeSteps = halfLifeSteps
        self.resolution = resolution
        self.floor = floor
    }

    /// The `level`-quantile of `values[..<cut]` for each cut (ascending, each in 1...count), the
    /// newest value of each prefix weighing 1. Non-finite values are skipped.
    public func quantiles(of values: [Double], level: Double, at cuts: [Int]) -> [Double] {
        precondition((0...1).contains(level))
        guard let largest = values.lazy.filter(\.isFinite).max(), !cuts.isEmpty else { return cuts.map { _ in 0 } }
        let logStep = log1p(resolution)
        func bucket(_ value: Double) -> Int { value <= floor ? 0 : 1 + Int(log(value / floor) / logStep) }
        var weights = [Double](repeating: 0, count: bucket(largest) + 1)
        // Weights grow with the index (2^(i/h)) instead of decaying, so earlier buckets never need
        // rescaling; quantiles do not depend on the scale. Offsetting by the last index keeps
        // them within range for any history length.
        let last = Double(values.count - 1)
        var total = 0.0
        var prefixMax = -Double.infinity
        var answers: [Double] = []
        answers.reserveCapacity(cuts.count)
        var next = 0
        for (index, value) in values.enumerated() {
            if value.isFinite {
                let weight = exp2((Double(index) - last) / halfLifeSteps)
                weights[bucket(max(0, value))] += weight
                total += weight
                prefixMax = max(prefixMax, value)
            }
            while next < cuts.count, cuts[next] == index + 1 {
                answers.append(read(weights, total: total, level: level, prefixMax: prefixMax))
                next += 1
            }
        }
        while answers.count < cuts.count { answers.append(0) }
        return answers
    }

    /// The `level`-quantile of all of `values`.
    public func quantile(of values: [Double], level: Double) -> Double {
        quantiles(of: values, level: level, at: [values.count]).first ?? 0
    }

    private func read(_ weights: [Double], total: Double, level: Double, prefixMax: Double) -> Double {
        guard total > 0 else { return 0 }
        let wanted = level * total
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() {
            cumulative += weight
            if cumulative >= wanted, cumulative > 0 {
                let edge = floor * pow(1 + resolution, Double(index))
                return min(edge, prefixMax)
            }
        }
        return prefixMax
    }
}
