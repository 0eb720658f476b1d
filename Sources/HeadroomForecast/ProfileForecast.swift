import HeadroomCore

/// A cheap forecast of the next few steps, for sizing that needs only the next hour's bands
/// (the `risk` strategy): the median profile of the last seven cycles, with symmetric bands from
/// the errors the same profile, built from the seven cycles before, made on the last cycle. Two
/// profiles per series instead of `AutoForecaster`'s candidates × origins fits.
public enum ProfileForecast {
    public static let cycles = 7

    /// `horizon` steps after `history` (regular, gaps filled) with the median and `quantiles`.
    public static func forecast(_ history: [Double], period: Int, horizon: Int, quantiles: [Double]) -> ForecastResult {
        let wanted = Array(Set(quantiles + [0.5])).sorted()
        guard period > 0, history.count >= 2 * period else {
            // Under two cycles: the recent level, bands from the last cycle's spread around it.
            let point = LevelForecaster().forecast(history, horizon: horizon).map { max(0, $0) }
            let errors = history.suffix(max(1, period)).map { $0 - (point.first ?? 0) }
            return ForecastResult(model: "level", backtestMAE: nil, point: point,
                                  quantiles: AutoForecaster.symmetricBands(point: point, errors: errors, quantiles: wanted),
                                  seasonal: false, notes: ["history under two cycles: recent level"])
        }
        let model = SeasonalProfileForecaster(period: period, cycles: cycles, statistic: .median)
        let held = Array(history.suffix(period))
        let before = model.forecast(Array(history.dropLast(period)), horizon: period)
        let errors = zip(held, before).map { $0 - $1 }
        let point = model.forecast(history, horizon: horizon).map { max(0, $0) }
        let mae = errors.isEmpty ? nil : errors.reduce(0) { $0 + abs($1) } / Double(errors.count)
        return ForecastResult(model: model.name, backtestMAE: mae, point: point,
                              quantiles: AutoForecaster.symmetricBands(point: point, errors: errors, quantiles: wanted),
                              seasonal: true, notes: [])
    }
}
