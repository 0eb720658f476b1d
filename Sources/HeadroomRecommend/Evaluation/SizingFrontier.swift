/// The baselines' lower envelope: for a given risk, the fewest cores any baseline needed to stay
/// at or under it, linear between the baselines on the envelope. Below the safest baseline's
/// risk it is that baseline's cores; above the riskiest, the cheapest baseline's.
public struct SizingFrontier: Sendable, Codable, Hashable {
    /// Envelope points (risk %, cores), risk ascending and cores descending.
    public var points: [Point]

    public struct Point: Sendable, Codable, Hashable {
        public var risk: Double
        public var cores: Double
        public var name: String
    }

    /// The envelope of `scores` by `risk` (overrun or shortfall).
    public init(_ scores: [SizingScore], risk: (SizingScore) -> Double) {
        var envelope: [Point] = []
        for score in scores.sorted(by: { (risk($0), $0.cores) < (risk($1), $1.cores) }) where score.cores < (envelope.last?.cores ?? .infinity) {
            envelope.append(Point(risk: risk(score), cores: score.cores, name: score.name))
        }
        points = envelope
    }

    /// Cores on the envelope at `risk`.
    public func cores(at risk: Double) -> Double? {
        guard let first = points.first, let last = points.last else { return nil }
        if risk <= first.risk { return first.cores }
        if risk >= last.risk { return last.cores }
        for (lower, upper) in zip(points, points.dropFirst()) where risk <= upper.risk {
            let fraction = upper.risk > lower.risk ? (risk - lower.risk) / (upper.risk - lower.risk) : 0
            return lower.cores + fraction * (upper.cores - lower.cores)
        }
        return last.cores
    }

    /// (envelope − cores) ÷ envelope at `risk`: positive when `cores` beat the baselines there.
    public func savedShare(cores: Double, at risk: Double) -> Double? {
        guard let frontier = self.cores(at: risk), frontier > 0 else { return nil }
        return (frontier - cores) / frontier
    }
}
