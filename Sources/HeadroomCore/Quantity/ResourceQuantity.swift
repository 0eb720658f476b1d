/// What CPU and memory quantities share: a whole count of a base unit (millicores or bytes)
/// parsed from and formatted as Kubernetes quantity strings.
public protocol ResourceQuantity: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in the base unit.
    var amount: Int64 { get }
    init(amount: Int64)
    /// Power of ten of the base unit (−3 for millicores, 0 for bytes).
    static var unitExponent: Int { get }
    /// Resource name for error messages ("CPU", "memory").
    static var resourceName: String { get }
    /// The shortest exact Kubernetes spelling.
    var canonical: String { get }
    /// How a plain JSON/YAML number is read (cores for CPU, bytes for memory).
    init(number: Double)
}

extension ResourceQuantity {
    /// Parses a Kubernetes quantity string; negative amounts are rejected (no request or limit can be negative).
    public init(parsing text: String) throws(QuantityParseError) {
        let value = try QuantityParser.parse(text, unitExponent: Self.unitExponent)
        guard value >= 0 else { throw QuantityParseError(input: text, reason: "\(Self.resourceName) cannot be negative") }
        self.init(amount: value)
    }

    public var description: String { canonical }

    /// Rounds up to a multiple of `granularity` (10m of CPU, 1Mi of memory…).
    public func roundedUp(toMultipleOf granularity: Self) -> Self {
        guard granularity.amount > 0 else { return self }
        let remainder = amount % granularity.amount
        return remainder == 0 ? self : Self(amount: amount + (granularity.amount - remainder))
    }

    /// Multiplies by a factor and rounds up to the next base unit.
    public func scaled(by factor: Double) -> Self {
        Self(amount: Int64(saturating: (Double(amount) * factor).rounded(.up)))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.amount < rhs.amount }
    public static func + (lhs: Self, rhs: Self) -> Self { Self(amount: lhs.amount + rhs.amount) }
    public static func - (lhs: Self, rhs: Self) -> Self { Self(amount: lhs.amount - rhs.amount) }

    /// Decodes a quantity string or a plain number; encodes the canonical string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            try self.init(parsing: text)
        } else {
            self.init(number: try container.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }
}
