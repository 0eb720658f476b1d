/// An amount of CPU held as whole millicores, the unit Kubernetes uses for CPU requests.
///
/// Parsing accepts everything the API server accepts (`250m`, `0.5`, `2`, `1500u`, `1e3m`…);
/// sub-millicore amounts round up, as the API server's `MilliValue()` does. Negative amounts are
/// rejected: no request or limit can be negative.
public struct CPUQuantity: Hashable, Comparable, Sendable {
    public var millicores: Int64

    public init(millicores: Int64) { self.millicores = millicores }

    /// Parses a Kubernetes quantity string such as `250m` or `1.5`.
    public init(parsing text: String) throws(QuantityParseError) {
        let value = try QuantityParser.parse(text, unitExponent: -3)
        guard value >= 0 else { throw QuantityParseError(input: text, reason: "CPU cannot be negative") }
        millicores = value
    }

    /// Whole or fractional cores, rounded up to the next millicore.
    public init(cores: Double) {
        millicores = Int64((cores * 1000).rounded(.up))
    }

    public static let zero = CPUQuantity(millicores: 0)

    public var cores: Double { Double(millicores) / 1000 }

    /// The canonical form: whole cores as `2`, anything else in millicores as `250m`.
    public var canonical: String {
        millicores % 1000 == 0 ? String(millicores / 1000) : "\(millicores)m"
    }

    /// Rounds up to a multiple of `granularity` (for example 10m or 100m).
    public func roundedUp(toMultipleOf granularity: CPUQuantity) -> CPUQuantity {
        CPUQuantity(millicores: roundUp(millicores, to: granularity.millicores))
    }

    /// Multiplies by a factor and rounds up to the next millicore.
    public func scaled(by factor: Double) -> CPUQuantity {
        CPUQuantity(millicores: Int64((Double(millicores) * factor).rounded(.up)))
    }

    public static func < (lhs: CPUQuantity, rhs: CPUQuantity) -> Bool { lhs.millicores < rhs.millicores }
    public static func + (lhs: CPUQuantity, rhs: CPUQuantity) -> CPUQuantity {
        CPUQuantity(millicores: lhs.millicores + rhs.millicores)
    }
    public static func - (lhs: CPUQuantity, rhs: CPUQuantity) -> CPUQuantity {
        CPUQuantity(millicores: lhs.millicores - rhs.millicores)
    }
}

extension CPUQuantity: CustomStringConvertible {
    public var description: String { canonical }
}

extension CPUQuantity: Codable {
    /// Encodes as the canonical string (`"250m"`); decodes a string or a number of cores.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            try self.init(parsing: text)
        } else {
            self.init(cores: try container.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }
}

/// Rounds a non-negative amount up to a multiple of `granularity` (no change when it is ≤ 0).
func roundUp(_ value: Int64, to granularity: Int64) -> Int64 {
    guard granularity > 0 else { return value }
    let remainder = value % granularity
    return remainder == 0 ? value : value + (granularity - remainder)
}
