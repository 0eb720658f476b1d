import Foundation

/// An ISO 8601 week (Monday to Monday) in a time zone: what a weekly report covers.
public struct ReportWeek: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var week: Int
    public var timeZone: TimeZone

    /// Why a week or time zone cannot be used.
    public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(year: Int, week: Int, timeZone: TimeZone) throws {
        self.year = year
        self.week = week
        self.timeZone = timeZone
        guard (1...53).contains(week), (1970...9999).contains(year) else {
            throw Error(description: "week \(Self.label(year: year, week: week)) does not exist: weeks are numbered 1–53, years 1970–9999")
        }
        // Week 53 exists only in years that have one.
        guard Self.week(at: start, timeZone: timeZone) == self else {
            throw Error(description: "\(Self.label(year: year, week: week)) does not exist: \(year) has 52 ISO weeks")
        }
    }

    /// `2026-W47`, as `date +%G-W%V` prints it.
    public init(parsing text: String, timeZone: TimeZone) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let year = Int(parts[0]), parts[1].first == "W" || parts[1].first == "w",
              let week = Int(parts[1].dropFirst()), parts[0].count == 4, parts[1].count == 3 else {
            throw Error(description: "cannot read the week '\(text)': write the ISO week as YYYY-Www, e.g. 2026-W47")
        }
        try self.init(year: year, week: week, timeZone: timeZone)
    }

    /// An IANA time zone name (`Europe/Berlin`, `UTC`).
    public static func timeZone(named name: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: name) else {
            throw Error(description: "unknown time zone '\(name)': use an IANA name such as UTC or Europe/Berlin")
        }
        return zone
    }

    public var description: String { Self.label(year: year, week: week) }

    /// The time zone's name as the user wrote it (Foundation on Linux calls UTC "GMT").
    public var timeZoneName: String { timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier }

    static func label(year: Int, week: Int) -> String {
        "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }

    var calendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Monday 00:00 local time, unix seconds.
    public var start: Int64 {
        var components = DateComponents()
        components.yearForWeekOfYear = year
        components.weekOfYear = week
        components.weekday = 2
        components.hour = 0
        let date = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        return Int64(date.timeIntervalSince1970)
    }

    /// The next Monday 00:00 local time (167, 168 or 169 hours after `start`).
    public var end: Int64 { next.start }

    /// The local midnights of the week's 7 days.
    public var dayStarts: [Int64] {
        let calendar = calendar
        let monday = Date(timeIntervalSince1970: TimeInterval(start))
        return (0..<7).map { Int64(calendar.date(byAdding: .day, value: $0, to: monday)!.timeIntervalSince1970) }
    }

    public var previous: ReportWeek { Self.week(at: start - 1, timeZone: timeZone) }
    public var next: ReportWeek {
        let calendar = calendar
        let following = calendar.date(byAdding: .day, value: 7, to: Date(timeIntervalSince1970: TimeInterval(start)))!
        return Self.week(at: Int64(following.timeIntervalSince1970), timeZone: timeZone)
    }

    /// The week that holds `time`.
    public static func week(at time: Int64, timeZone: TimeZone) -> ReportWeek {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let components = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date(timeIntervalSince1970: TimeInterval(time)))
        return ReportWeek(unchecked: components.yearForWeekOfYear ?? 1970, week: components.weekOfYear ?? 1, timeZone: timeZone)
    }

    /// The last week that ended at or before `now`: what a report run on Monday morning covers.
    public static func lastComplete(before now: Int64, timeZone: TimeZone) -> ReportWeek {
        week(at: now, timeZone: timeZone).previous
    }

    private init(unchecked year: Int, week: Int, timeZone: TimeZone) {
        self.year = year
        self.week = week
        self.timeZone = timeZone
    }

    /// `2026-11-16`, the local date a day starts on.
    public func dateLabel(_ time: Int64) -> String {
        let components = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(time)))
        func two(_ value: Int?) -> String { (value ?? 0) < 10 ? "0\(value ?? 0)" : "\(value ?? 0)" }
        return "\(components.year ?? 0)-\(two(components.month))-\(two(components.day))"
    }
}
