/// Parses durations in Prometheus's notation (`30s`, `5m`, `12h`, `7d`, `2w`, `1y`, or a
/// combination such as `1d12h`) into seconds, at most 100 years (a window longer than any
/// history, and short enough that `now − duration` never overflows).
public enum DurationParser {
    public struct DurationError: Error, Equatable, Sendable, CustomStringConvertible {
        public let input: String
        public let reason: String
        public var description: String { "invalid duration \"\(input)\": \(reason)" }
    }

    private static let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800, "y": 31_536_000]
    public static let maxSeconds: Int64 = 100 * 31_536_000

    public static func seconds(_ text: String) throws(DurationError) -> Int64 {
        guard !text.isEmpty else { throw DurationError(input: text, reason: "empty") }
        var total: Int64 = 0
        var number: Int64?
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (value, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow else { throw DurationError(input: text, reason: "too large") }
                number = value + Int64(digit)
            } else if let unit = units[character] {
                guard let value = number else { throw DurationError(input: text, reason: "unit \(character) without a number") }
                let (part, overflow) = value.multipliedReportingOverflow(by: unit)
                guard !overflow, part <= maxSeconds, total + part <= maxSeconds else { throw DurationError(input: text, reason: "longer than 100 years") }
                total += part
                number = nil
            } else {
                throw DurationError(input: text, reason: "unknown unit \"\(character)\" (use s, m, h, d, w or y)")
            }
        }
        guard number == nil else { throw DurationError(input: text, reason: "a number needs a unit (s, m, h, d, w or y)") }
        guard total > 0 else { throw DurationError(input: text, reason: "must be positive") }
        return total
    }
}
