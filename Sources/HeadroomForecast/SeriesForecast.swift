import HeadroomCore

/// Forecasts one regular series ahead at its own step, with a daily cycle where the series
/// shows one: what `headroom forecast` does per input.
public enum SeriesForecast {
    /// The median and `quantiles` for `horizonSeconds` (at least one step) after the series'
    /// end, gaps filled linearly; nil when the series holds no observed value.
    public static func forecast(_ series: RegularSeries, horizonSeconds: Int64, quantiles: [Double]) -> ForecastResult? {
        guard let filled = GapFilling.linear(series) else { return nil }
        let period = max(1, Int(86_400 / series.step))
        let steps = max(1, Int(horizonSeconds / series.step))
        let wanted = [0.5] + quantiles.filter { $0 != 0.5 }
        return AutoForecaster(period: period).forecast(filled, horizon: steps, quantiles: wanted)
    }
}
