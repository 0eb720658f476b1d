import HeadroomCore

/// The level a container's usage will exceed in a share `risk` of the coming horizon, with the
/// evidence behind it: the recency-weighted (1 − risk)-quantile of the history, a margin for the
/// error of a tail estimate, and a check of the same estimate on the history itself at the
/// sizing horizon (backtests: from each origin, the quantile of what came before against the
/// quantile the next horizon realised).
public struct HorizonQuantile: Sendable, Hashable, Codable {
    public var risk: Double
    /// The recency-weighted (1 − risk)-quantile of the whole history.
    public var weighted: Double
    /// The margin for the tail estimate's error: `baseMargin` × √(1 % ÷ risk), wider the rarer
    /// the event, as a tail quantile's standard error grows.
    public var margin: Double
    /// Median over the backtest origins of realised ÷ estimated quantile (nil without an origin):
    /// above 1 + margin it replaces the margin, so a container that kept outgrowing its history
    /// is sized for that.
    public var backtestRatio: Double?
    public var origins: Int
    /// weighted × max(1 + margin, backtestRatio).
    public var value: Double

    /// What the estimate is, in the units of `values`.
    public static func estimate(_ values: [Double], risk: Double, settings: Settings, floor: Double) -> HorizonQuantile {
        precondition(risk > 0 && risk < 1)
        let quantiles = RecencyWeightedQuantiles(halfLifeSteps: settings.halfLifeSteps, floor: floor)
        let level = 1 - risk
        let origins = Array(stride(from: values.count - settings.horizonSteps, through: settings.minimumHistorySteps, by: -settings.originStride).reversed())
        let estimates = quantiles.quantiles(of: values, level: level, at: origins + [values.count])
        var ratios: [Double] = []
        for (origin, estimate) in zip(origins, estimates) where estimate > floor {
            let window = values[origin..<min(values.count, origin + settings.horizonSteps)].filter(\.isFinite)
            if let realised = Percentile.of(window, level) { ratios.append(realised / estimate) }
        }
        let weighted = estimates.last ?? 0
        let margin = settings.baseMargin * (0.01 / risk).squareRoot()
        let ratio = ratios.isEmpty ? nil : Percentile.of(ratios, 0.5)
        return HorizonQuantile(risk: risk, weighted: weighted, margin: margin, backtestRatio: ratio, origins: ratios.count,
                               value: weighted * max(1 + margin, ratio ?? 0))
    }

    /// How the estimate weighs and checks history.
    public struct Settings: Sendable, Hashable {
        /// Age at which a sample weighs half (two days: the VPA weighs by a one-day half-life,
        /// which follows a weekly cycle less well).
        public var halfLifeSteps: Double = 576
        /// How long a request is meant to hold: the backtests' horizon (two days of 5-minute steps).
        public var horizonSteps = 576
        /// One backtest origin per day.
        public var originStride = 288
        /// History before the first origin (one day).
        public var minimumHistorySteps = 288
        /// The margin at a 1 % risk; measured on the shared traces (`headroom sizing evaluate`).
        public var baseMargin = 0.10

        public init() {}
    }
}
