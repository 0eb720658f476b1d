/// A calendar month in UTC, from unix seconds, without Foundation's calendar: budgets, month-end
/// projections and reports all cut months here, the same way.
public struct UTCMonth: Hashable, Sendable, Comparable {
    public var year: Int
    /// 1…12.
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The month holding `time` (unix seconds).
    public init(containing time: Int64) {
        let (year, month, _) = Self.civil(fromDays: Self.floorDiv(time, 86_400))
        self.init(year: year, month: month)
    }

    /// Midnight UTC of the month's first day, unix seconds.
    public var start: Int64 { Self.days(year: year, month: month, day: 1) * 86_400 }
    /// Midnight UTC of the next month's first day.
    public var end: Int64 { next.start }
    public var next: UTCMonth { month == 12 ? UTCMonth(year: year + 1, month: 1) : UTCMonth(year: year, month: month + 1) }
    public var days: Int { Int((end - start) / 86_400) }
    /// `2026-11`.
    public var label: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (lhs: UTCMonth, rhs: UTCMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }
}
