/// An amount of memory held as whole bytes.
///
/// Parsing accepts everything the API server accepts (`512Mi`, `1Gi`, `1G`, `1e9`, `129e6`,
/// `123Ki`, `0.5Gi`…); fractional bytes round up. Negative amounts are rejected.
public struct MemoryQuantity: Hashable, Comparable, Sendable {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    /// Parses a Kubernetes quantity string such as `512Mi` or `1e9`.
    public init(parsing text: String) throws(QuantityParseError) {
        let value = try QuantityParser.parse(text, unitExponent: 0)
        guard value >= 0 else { throw QuantityParseError(input: text, reason: "memory cannot be negative") }
        bytes = value
    }

    public static let zero = MemoryQuantity(bytes: 0)
    public static let mebibyte = MemoryQuantity(bytes: 1 << 20)
    public static let gibibyte = MemoryQuantity(bytes: 1 << 30)

    public var gibibytes: Double { Double(bytes) / Double(1 << 30) }

    /// The canonical form: the largest binary suffix that divides exactly (`512Mi`, `1Gi`), else
    /// the largest decimal one (`129M`, `1G`), else plain bytes.
    public var canonical: String {
        guard bytes != 0 else { return "0" }
        for (suffix, shift) in Self.binarySuffixes where bytes % (Int64(1) << shift) == 0 {
            return "\(bytes >> shift)\(suffix)"
        }
        for (suffix, divisor) in Self.decimalSuffixes where bytes % divisor == 0 {
            return "\(bytes / divisor)\(suffix)"
        }
        return String(bytes)
    }

    private static let binarySuffixes: [(String, Int64)] = [
        ("Ei", 60), ("Pi", 50), ("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10),
    ]
    private static let decimalSuffixes: [(String, Int64)] = [
        ("E", 1_000_000_000_000_000_000), ("P", 1_000_000_000_000_000), ("T", 1_000_000_000_000),
        ("G", 1_000_000_000), ("M", 1_000_000), ("k", 1_000),
    ]

    /// Rounds up to a multiple of `granularity` (for example 1Mi).
    public func roundedUp(toMultipleOf granularity: MemoryQuantity) -> MemoryQuantity {
        MemoryQuantity(bytes: roundUp(bytes, to: granularity.bytes))
    }

    /// Multiplies by a factor and rounds up to the next byte.
    public func scaled(by factor: Double) -> MemoryQuantity {
        MemoryQuantity(bytes: Int64((Double(bytes) * factor).rounded(.up)))
    }

    public static func < (lhs: MemoryQuantity, rhs: MemoryQuantity) -> Bool { lhs.bytes < rhs.bytes }
    public static func + (lhs: MemoryQuantity, rhs: MemoryQuantity) -> MemoryQuantity {
        MemoryQuantity(bytes: lhs.bytes + rhs.bytes)
    }
    public static func - (lhs: MemoryQuantity, rhs: MemoryQuantity) -> MemoryQuantity {
        MemoryQuantity(bytes: lhs.bytes - rhs.bytes)
    }
}

extension MemoryQuantity: CustomStringConvertible {
    public var description: String { canonical }
}

extension MemoryQuantity: Codable {
    /// Encodes as the canonical string (`"512Mi"`); decodes a string or a number of bytes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            try self.init(parsing: text)
        } else {
            self.init(bytes: try container.decode(Int64.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }
}
