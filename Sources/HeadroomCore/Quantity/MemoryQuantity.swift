/// An amount of memory held as whole bytes.
///
/// Parsing accepts everything the API server accepts (`512Mi`, `1Gi`, `1G`, `1e9`, `129e6`,
/// `123Ki`, `0.5Gi`…); fractional bytes round up.
public struct MemoryQuantity: ResourceQuantity {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }
    public init(amount: Int64) { bytes = amount }
    public init(number: Double) { bytes = Int64(saturating: number.rounded(.up)) }

    public static let unitExponent = 0
    public static let resourceName = "memory"
    public static let zero = MemoryQuantity(bytes: 0)
    public static let mebibyte = MemoryQuantity(bytes: 1 << 20)
    public static let gibibyte = MemoryQuantity(bytes: 1 << 30)

    public var amount: Int64 { bytes }
    public var gibibytes: Double { Double(bytes) / Double(1 << 30) }

    /// The largest binary suffix that divides exactly (`512Mi`, `1Gi`), else the largest decimal
    /// one (`129M`, `1G`), else plain bytes.
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
}
