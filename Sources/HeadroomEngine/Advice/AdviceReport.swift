import HeadroomCost
import HeadroomRecommend

/// What `headroom advise` answers: per container the current and recommended configuration
/// with replayed risk and monthly cost, per pool the node plans. JSON/YAML carry quantities as
/// strings and money in micro-dollars.
public struct AdviceReport: Sendable, Encodable {
    /// End of the advised window (just after the last stored usage bucket), unix seconds.
    public var windowEnd: Int64
    public var strategy: String
    /// How the figures are priced: list prices, or the list prices with the user's terms named.
    public var prices: String
    public var containers: [PricedContainerAdvice]
    public var pools: [PoolAdvice]
    /// Containers skipped (no usage in the window), by name.
    public var skipped: [String]
}
