import Foundation
import HeadroomAlerts
import HeadroomConfig
import Testing

/// Severity routing on the plan's schedule, in its time zone: critical at once, warning in
/// business hours, info at the digest hour.
@Suite struct AlertRouterTests {
    static let router = AlertRouter(AlertSchedule(timeZone: "Europe/Berlin", startHour: 9, endHour: 17, weekdays: [1, 2, 3, 4, 5], digestHour: 8))

    /// Unix seconds of an ISO 8601 time with its offset.
    static func at(_ text: String) -> Int64 { Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970) }

    @Test("critical goes at once, even at night")
    func critical() {
        #expect(Self.router.deliverAt(.critical, now: Self.at("2026-12-04T22:00:00+01:00")) == Self.at("2026-12-04T22:00:00+01:00"))
    }

    @Test("a warning inside business hours goes at once", arguments: ["2026-12-07T09:00:00+01:00", "2026-12-07T12:34:00+01:00", "2026-12-07T16:59:59+01:00"])
    func warningInHours(time: String) {
        #expect(Self.router.deliverAt(.warning, now: Self.at(time)) == Self.at(time))
    }

    @Test("a warning outside them waits for the next window's start", arguments: [
        ("2026-12-07T22:00:00+01:00", "2026-12-08T09:00:00+01:00"),  // Monday night → Tuesday
        ("2026-12-04T22:00:00+01:00", "2026-12-07T09:00:00+01:00"),  // Friday night → Monday
        ("2026-12-05T12:00:00+01:00", "2026-12-07T09:00:00+01:00"),  // Saturday noon → Monday
        ("2026-12-07T06:30:00+01:00", "2026-12-07T09:00:00+01:00"),  // Monday early → that morning
        ("2026-12-07T17:00:00+01:00", "2026-12-08T09:00:00+01:00"),  // the end is outside
        ("2026-03-27T20:00:00+01:00", "2026-03-30T09:00:00+02:00"),  // over the switch to summer time
    ])
    func warningHeld(raised: String, sent: String) {
        #expect(Self.router.deliverAt(.warning, now: Self.at(raised)) == Self.at(sent))
    }

    @Test("an info waits for the next 08:00, that day's or the next", arguments: [
        ("2026-12-07T07:59:00+01:00", "2026-12-07T08:00:00+01:00"),
        ("2026-12-07T08:00:00+01:00", "2026-12-07T08:00:00+01:00"),
        ("2026-12-07T08:01:00+01:00", "2026-12-08T08:00:00+01:00"),
        ("2026-12-05T23:30:00+01:00", "2026-12-06T08:00:00+01:00"),  // digests come at weekends too
    ])
    func info(raised: String, digest: String) {
        #expect(Self.router.deliverAt(.info, now: Self.at(raised)) == Self.at(digest))
    }
}
