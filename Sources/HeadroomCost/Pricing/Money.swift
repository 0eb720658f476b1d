/// Money in integer micro-dollars (10⁻⁶ USD): exact sums, no float ever reaches a stored or
/// printed amount.
public typealias Microdollars = Int64

public enum Money {
    /// Parses a non-negative decimal USD amount ("0.096", "1200", "0.00005479") exactly, to the
    /// micro-dollar; more than six decimals are rounded half up (catalog rates such as
    /// 5.479452e-05 per GiB-hour are given in scientific notation and accepted). Amounts of
    /// $1,000,000,000,000 or more are refused: no price or budget is that large, and their
    /// micro-dollars would not leave room in 64 bits for the sums made of them.
    public static func microdollars(_ text: String) -> Microdollars? {
        let trimmed = text.trimmingCharacters(in: [" "])
        if trimmed.contains("e") || trimmed.contains("E") {
            guard let value = Double(trimmed), value.isFinite, value >= 0, value < Double(maxDollars) else { return nil }
            return Microdollars((value * 1e6).rounded())
        }
        guard !trimmed.isEmpty, trimmed != "." else { return nil }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0].isEmpty ? "0" : String(parts[0])), whole >= 0, whole < maxDollars,
              !parts[0].hasPrefix("-"), !parts[0].hasPrefix("+") else { return nil }
        var micro = whole * 1_000_000
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            let kept = String(digits.prefix(6)).padding(toLength: 6, withPad: "0", startingAt: 0)
            micro += Int64(kept)!
            if digits.count > 6, let next = digits.dropFirst(6).first, next >= "5" { micro += 1 }
        }
        return micro
    }

    /// Whole dollars an amount read from text stays under.
    public static let maxDollars: Int64 = 1_000_000_000_000

    /// "$1,234.56" (rounded half up to the cent) for tables; never traps, however large.
    public static func dollars(_ amount: Microdollars) -> String {
        let cents = (amount >= 0 ? amount.saturatingAdd(5_000) : amount.saturatingAdd(-5_000)) / 10_000
        let sign = cents < 0 ? "-" : ""
        let magnitude = abs(cents)
        var whole = String(magnitude / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        let fraction = magnitude % 100
        return "\(sign)$\(whole)\(grouped).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
