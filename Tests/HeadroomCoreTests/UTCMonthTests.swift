import Foundation
import HeadroomCore
import Testing

@Suite struct UTCMonthTests {
    @Test("months start and end at UTC midnight, leap Februaries included", arguments: [
        (Int64(1_795_219_200), "2026-11", Int64(1_793_491_200), 30),  // 2026-11-20
        (Int64(1_709_164_800), "2024-02", Int64(1_706_745_600), 29),  // 2024-02-29
        (Int64(0), "1970-01", Int64(0), 31),
        (Int64(-1), "1969-12", Int64(-2_678_400), 31),
        (Int64(4_102_444_799), "2099-12", Int64(4_099_766_400), 31),
    ])
    func months(time: Int64, label: String, start: Int64, days: Int) {
        let month = UTCMonth(containing: time)
        #expect(month.label == label && month.start == start && month.days == days)
        #expect(month.start <= time && time < month.end)
    }

    @Test("agrees with Foundation's Gregorian calendar in UTC on every day of 1900–2200")
    func agreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: Int64(-25_567), to: Int64(84_000), by: 13) {
            let time = day * 86_400 + 43_200
            let parts = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: TimeInterval(time)))
            let month = UTCMonth(containing: time)
            #expect(month.year == parts.year && month.month == parts.month, "day \(day)")
        }
    }
}
