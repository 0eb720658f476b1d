import Foundation
import HeadroomCost
import HeadroomReports
import Testing

/// ISO weeks in a time zone, and the local days allocation is split by.
@Suite struct ReportWeekTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test("2026-W47 starts on Monday 16 November 2026 at 00:00 UTC and lasts 168 hours")
    func utcWeek() throws {
        let week = try ReportWeek(parsing: "2026-W47", timeZone: Self.utc)
        #expect(week.start == 1_794_787_200)
        #expect(week.end - week.start == 168 * 3600)
        #expect(week.dayStarts.count == 7 && week.dayStarts.last == 1_794_787_200 + 6 * 86_400)
        #expect(week.previous.description == "2026-W46" && week.next.description == "2026-W48")
        #expect(week.dateLabel(week.start) == "2026-11-16" && week.dateLabel(week.end - 1) == "2026-11-22")
    }

    @Test("in Europe/Berlin the same week starts an hour earlier in UTC")
    func berlinWeek() throws {
        let week = try ReportWeek(parsing: "2026-W47", timeZone: Self.berlin)
        #expect(week.start == 1_794_787_200 - 3600)
        #expect(week.timeZoneName == "Europe/Berlin")
    }

    @Test("the week clocks go forward in Berlin (29 March 2026) has 167 hours, one day of 23")
    func daylightSaving() throws {
        let week = try ReportWeek(parsing: "2026-W13", timeZone: Self.berlin)
        #expect(week.end - week.start == 167 * 3600)
        let lengths = zip(week.dayStarts, week.dayStarts.dropFirst() + [week.end]).map { $1 - $0 }
        #expect(lengths == [86_400, 86_400, 86_400, 86_400, 86_400, 86_400, 82_800])
        let days = DayIndex(start: week.start, hours: 167, dayStarts: week.dayStarts)
        #expect(days.starts == week.dayStarts)
        #expect(days.ofHour.filter { $0 == 6 }.count == 23 && days.ofHour.filter { $0 == 0 }.count == 24)
    }

    @Test("2026 has a week 53, 2025 does not; malformed weeks are refused with the expected form", arguments: [
        ("2026-W53", true), ("2025-W53", false), ("2026-W00", false), ("2026-W54", false), ("2026W47", false), ("26-W47", false), ("2026-W4", false), ("", false),
    ])
    func validity(text: String, valid: Bool) {
        let week = try? ReportWeek(parsing: text, timeZone: Self.utc)
        #expect((week != nil) == valid)
        if !valid {
            #expect(throws: ReportWeek.Error.self) { try ReportWeek(parsing: text, timeZone: Self.utc) }
        }
    }

    @Test("the last complete week before a Monday morning is the week that just ended; before Sunday night, the one before")
    func lastComplete() throws {
        let monday = try ReportWeek(parsing: "2026-W48", timeZone: Self.utc).start
        #expect(ReportWeek.lastComplete(before: monday + 8 * 3600, timeZone: Self.utc).description == "2026-W47")
        #expect(ReportWeek.lastComplete(before: monday - 3600, timeZone: Self.utc).description == "2026-W46")
    }

    @Test("unknown time zones are named in the error")
    func unknownZone() {
        #expect(throws: ReportWeek.Error.self) { try ReportWeek.timeZone(named: "Mars/Olympus") }
    }
}
