import Foundation
import HeadroomConfig

/// When a notification may go out, as the platform plan routes by severity: critical at once,
/// warning inside business hours, info at the next daily digest. A pure function of the
/// schedule and `now`; the schedule's time zone decides days, hours and daylight-saving changes.
public struct AlertRouter: Sendable {
    public let schedule: AlertSchedule
    private let calendar: Calendar

    public init(_ schedule: AlertSchedule) {
        self.schedule = schedule
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: schedule.timeZone) ?? TimeZone(identifier: "UTC")!
        self.calendar = calendar
    }

    /// The earliest moment (unix seconds, ≥ `now`) at which a notice of `severity` is sent.
    public func deliverAt(_ severity: AlertSeverity, now: Int64) -> Int64 {
        switch severity {
        case .critical: now
        case .warning: nextBusinessMoment(from: now)
        case .info: nextDigest(from: now)
        }
    }

    /// `now` inside business hours, else the start of the next business-hours window.
    public func nextBusinessMoment(from now: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: TimeInterval(now))
        let today = calendar.startOfDay(for: date)
        for offset in 0...8 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today) else { continue }
            let weekday = (calendar.component(.weekday, from: day) + 5) % 7 + 1 // 1 = Monday … 7 = Sunday
            guard schedule.weekdays.contains(weekday),
                  let start = moment(on: day, hour: schedule.startHour), let end = moment(on: day, hour: schedule.endHour), end > now
            else { continue }
            return max(start, now)
        }
        return now
    }

    /// The next digest hour at or after `now`.
    public func nextDigest(from now: Int64) -> Int64 {
        let today = calendar.startOfDay(for: Date(timeIntervalSince1970: TimeInterval(now)))
        for offset in 0...2 {
            if let day = calendar.date(byAdding: .day, value: offset, to: today), let time = moment(on: day, hour: schedule.digestHour), time >= now {
                return time
            }
        }
        return now
    }

    /// `hour`:00 local time on `day` (24 is the next midnight), unix seconds.
    private func moment(on day: Date, hour: Int) -> Int64? {
        if hour == 24 { return calendar.date(byAdding: .day, value: 1, to: day).map { Int64($0.timeIntervalSince1970) } }
        return calendar.date(bySettingHour: hour, minute: 0, second: 0, of: day).map { Int64($0.timeIntervalSince1970) }
    }
}
