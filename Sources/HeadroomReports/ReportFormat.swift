import HeadroomCost

/// The one way report figures are written, shared by every format so they agree to the cent.
public enum ReportFormat {
    /// `$1,234.56`, as `Money.dollars` (half up to the cent).
    public static func dollars(_ amount: Int64) -> String { Money.dollars(amount) }

    /// `+$12.30` / `-$4.00` / `$0.00`.
    public static func signedDollars(_ amount: Int64) -> String {
        // Under half a cent either way is written $0.00, unsigned.
        amount >= 5_000 ? "+" + Money.dollars(amount) : amount <= -5_000 ? Money.dollars(amount) : "$0.00"
    }

    /// `1234.56`: the same cents as `dollars`, for CSV.
    public static func plainDollars(_ amount: Int64) -> String {
        let cents = (amount >= 0 ? amount.saturatingAdd(5_000) : amount.saturatingAdd(-5_000)) / 10_000
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(cents < 0 ? "-" : "")\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `+12.3 %`, or `n/a` without a base.
    public static func percent(_ value: Double?, signed: Bool = true) -> String {
        guard let value, value.isFinite else { return "n/a" }
        return "\(signed && value > 0 ? "+" : "")\(fixed(value, digits: 1)) %"
    }

    /// A number with `digits` decimals, no grouping; never traps.
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return value < 0 ? "-\(abs(value))" : "\(value)" }
        let whole = Int64(scaled) / Int64(scale), fraction = Int64(scaled) % Int64(scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return "\(sign)\(whole)" }
        let text = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: digits - text.count))\(text)"
    }
}
