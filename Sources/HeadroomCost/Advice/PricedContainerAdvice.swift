import HeadroomCore
import HeadroomRecommend

/// A container's advice with both configurations priced for a month. Encodes as `advise -o json`
/// rows: each configuration carries its requests, limits, risk and `monthlyMicrodollars`.
public struct PricedContainerAdvice: Sendable, Hashable {
    public var advice: ContainerAdvice
    public var currentMonthly: Microdollars
    public var recommendedMonthly: Microdollars

    public init(advice: ContainerAdvice, currentMonthly: Microdollars, recommendedMonthly: Microdollars) {
        self.advice = advice
        self.currentMonthly = currentMonthly
        self.recommendedMonthly = recommendedMonthly
    }

    /// Prices both configurations at `rates`: at the replayed mean replica count when an HPA
    /// decides it, else at the declared count.
    public static func price(_ advice: ContainerAdvice, at rates: ResourceRates) -> PricedContainerAdvice {
        let current = advice.hpa?.currentOutcome.map { rates.monthly(advice.current.requests, meanReplicas: $0.meanReplicas) }
            ?? rates.monthly(advice.current.requests, replicas: advice.replicas)
        let recommended = advice.hpa.map { rates.monthly(advice.recommended.requests, meanReplicas: $0.recommendedOutcome.meanReplicas) }
            ?? rates.monthly(advice.recommended.requests, replicas: advice.replicas)
        return PricedContainerAdvice(advice: advice, currentMonthly: current, recommendedMonthly: recommended)
    }

    public var container: ContainerID { advice.container }
}

extension PricedContainerAdvice: Encodable {
    private struct Configuration: Encodable {
        var requests: ResourceAmounts
        var limits: ResourceAmounts
        var risk: ReplayedRisk
        var monthlyMicrodollars: Microdollars
    }

    private enum CodingKeys: String, CodingKey { case container, replicas, current, recommended, vpaBounds, hpa, models, notes }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        try keyed.encode(advice.container, forKey: .container)
        try keyed.encode(advice.replicas, forKey: .replicas)
        try keyed.encode(Configuration(requests: advice.current.requests, limits: advice.current.limits, risk: advice.current.risk,
                                       monthlyMicrodollars: currentMonthly), forKey: .current)
        try keyed.encode(Configuration(requests: advice.recommended.requests, limits: advice.recommended.limits, risk: advice.recommended.risk,
                                       monthlyMicrodollars: recommendedMonthly), forKey: .recommended)
        try keyed.encodeIfPresent(advice.vpaBounds, forKey: .vpaBounds)
        try keyed.encodeIfPresent(advice.hpa, forKey: .hpa)
        try keyed.encode(advice.models, forKey: .models)
        try keyed.encode(advice.notes, forKey: .notes)
    }
}

extension Sequence where Element == PricedContainerAdvice {
    /// Monthly cost of the current and of the recommended configurations, summed.
    public var monthlyTotals: (current: Microdollars, recommended: Microdollars) {
        reduce((Microdollars(0), Microdollars(0))) { ($0.0 + $1.currentMonthly, $0.1 + $1.recommendedMonthly) }
    }
}
