/// Writes Prometheus text exposition (format 0.0.4) in one pass: a family's `# HELP` and
/// `# TYPE` lines, then its samples. It renders the Assessment's series, which are rebuilt whole
/// every cycle: swift-prometheus's registry copies a family's label dictionary on every new
/// label set (20,000 gauges take 6.9 s to register, 10,000 take 1.5 s), so it keeps only the
/// service's own few, long-lived series (`ServiceMetrics`).
struct ExpositionWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Starts a family. Every sample written after it until the next family belongs to it.
    mutating func family(_ name: String, type: String, help: String) {
        append("# HELP ")
        append(name)
        bytes.append(0x20)
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append(#"\\"#)
            case UInt8(ascii: "\n"): append(#"\n"#)
            default: bytes.append(byte)
            }
        }
        append("\n# TYPE ")
        append(name)
        bytes.append(0x20)
        append(type)
        bytes.append(0x0A)
    }

    /// One sample line: `name{label="value",...} value`, label values escaped as the format says.
    mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: Double) {
        append(name)
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            for (index, (key, labelValue)) in labels.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(key)
                append("=\"")
                for byte in labelValue.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): append(#"\\"#)
                    case UInt8(ascii: "\""): append(#"\""#)
                    case UInt8(ascii: "\n"): append(#"\n"#)
                    default: bytes.append(byte)
                    }
                }
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(0x20)
        append(Self.format(value))
        bytes.append(0x0A)
    }

    /// A sample value as the text format spells it: `+Inf`, `-Inf`, `NaN`, integers without a
    /// fraction (exact below 2^53), other values in Swift's shortest round-tripping form.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return value.description
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
