import Foundation

/// When the service sends the weekly report: a weekday and a time in a time zone (default Monday
/// 08:00 UTC). At any moment the report is of the last complete week; it is due once this week's
/// sending time has passed. A service that was down then sends it when it is back (at-least-once;
/// the store records what went out).
public struct WeeklyReportSchedule: Sendable, Hashable {
    public var timeZone: TimeZone
    /// 1 = Monday … 7 = Sunday.
    public var weekday: Int
    public var hour: Int
    public var minute: Int

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC")!, weekday: Int = 1, hour: Int = 8, minute: Int = 0) {
        self.timeZone = timeZone
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
    }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// `Mon 08:00` (a weekday's first three letters and a 24-hour time).
    public init(parsing text: String, timeZone: TimeZone) throws {
        let parts = text.split(separator: " ")
        let clock = parts.count == 2 ? parts[1].split(separator: ":") : []
        guard parts.count == 2, let day = Self.weekdays.firstIndex(of: parts[0].prefix(3).lowercased()), clock.count == 2,
              let hour = Int(clock[0]), let minute = Int(clock[1]), (0..<24).contains(hour), (0..<60).contains(minute) else {
            throw ReportWeek.Error(description: "cannot read the schedule '\(text)': write a weekday and a 24-hour time, e.g. \"Mon 08:00\"")
        }
        self.init(timeZone: timeZone, weekday: day + 1, hour: hour, minute: minute)
    }

    /// The week to report at `now` and when its report is sent.
    public func at(_ now: Int64) -> (week: ReportWeek, sendAt: Int64, due: Bool) {
        let current = ReportWeek.week(at: now, timeZone: timeZone)
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let day = calendar.date(byAdding: .day, value: weekday - 1, to: Date(timeIntervalSince1970: TimeInterval(current.start)))!
        let send = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day) ?? day
        let sendAt = Int64(send.timeIntervalSince1970)
        return (current.previous, sendAt, now >= sendAt)
    }
}
