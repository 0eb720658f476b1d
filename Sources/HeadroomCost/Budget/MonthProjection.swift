import HeadroomForecast

/// Month-end spend: the month's actual days plus a forecast of the days left, as a P10–P90 range.
public struct MonthProjection: Sendable, Hashable, Codable {
    public var monthToDate: Microdollars
    public var daysActual: Int
    public var daysLeft: Int
    public var p10: Microdollars
    public var p50: Microdollars
    public var p90: Microdollars
    public var model: String

    /// - Parameters:
    ///   - history: daily totals, oldest first, ending with the last actual day of the month.
    ///   - daysInMonthSoFar: how many of those days belong to the month.
    ///   - daysLeft: days after the last actual one until the month ends.
    /// The rest of the month is forecast per day (weekly cycle when there is one); the range adds
    /// up each day's P10 and P90, which assumes a day's error moves with the next one's: wider, the
    /// cautious side for a budget.
    public static func project(history: [Microdollars], daysInMonthSoFar: Int, daysLeft: Int) -> MonthProjection {
        let actual = history.suffix(daysInMonthSoFar).reduce(0, +)
        guard daysLeft > 0, !history.isEmpty else {
            return MonthProjection(monthToDate: actual, daysActual: daysInMonthSoFar, daysLeft: 0, p10: actual, p50: actual, p90: actual, model: "none (month complete)")
        }
        let forecast = AutoForecaster(period: 7).forecast(history.map(Double.init), horizon: daysLeft, quantiles: [0.1, 0.5, 0.9])
        func sum(_ quantile: Double) -> Microdollars {
            actual + Microdollars((forecast.quantiles[quantile] ?? forecast.point).reduce(0, +).rounded())
        }
        return MonthProjection(monthToDate: actual, daysActual: daysInMonthSoFar, daysLeft: daysLeft,
                               p10: sum(0.1), p50: sum(0.5), p90: sum(0.9), model: forecast.model)
    }
}
