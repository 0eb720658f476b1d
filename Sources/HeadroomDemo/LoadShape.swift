import Foundation

/// The demand pattern of the demo cluster as pure functions of time (unix seconds, UTC).
public enum LoadShape {
    /// Daily pattern: a night floor, a morning ramp and a mid-afternoon business-hours peak (≈1.0 at 14:00).
    public static func daily(hourOfDay hour: Double) -> Double {
        let afternoon = exp(-pow((hour - 14) / 3.5, 2))
        let morning = 0.2 * exp(-pow((hour - 9.5) / 1.2, 2))
        return 0.22 + 0.78 * afternoon + morning
    }

    /// Weekly pattern: weekdays full, Friday a little lower, weekends at 45 %.
    public static func weekly(weekday: Int) -> Double {
        switch weekday {
        case 5, 6: 0.45
        case 4: 0.9
        default: 1.0
        }
    }

    /// Day of week with Monday = 0 (1970-01-01 was a Thursday).
    public static func weekday(_ time: Int64) -> Int {
        Int(((time / 86_400) + 3) % 7)
    }

    public static func hourOfDay(_ time: Int64) -> Double {
        Double(time % 86_400) / 3600
    }

    /// Daily × weekly demand at `time`, before growth, noise and bursts.
    public static func seasonal(_ time: Int64) -> Double {
        daily(hourOfDay: hourOfDay(time)) * weekly(weekday: weekday(time))
    }
}
