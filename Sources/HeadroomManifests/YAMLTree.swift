/// A small ordered YAML tree for manifests: keys keep the order Kubernetes users expect
/// (apiVersion, kind, metadata, spec), and every string is double-quoted, so values such as
/// `Off`, `2` or `1e3` cannot be read back as booleans or numbers.
public indirect enum YAMLTree: Sendable {
    case string(String)
    case integer(Int)
    case null
    case map([(String, YAMLTree)])
    case list([YAMLTree])

    /// The document as YAML text, ending in a newline.
    public func render() -> String { lines(indent: 0).joined(separator: "\n") + "\n" }

    private func lines(indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .map(let entries):
            return entries.flatMap { key, value -> [String] in
                switch value {
                case .map(let inner) where !inner.isEmpty: return ["\(pad)\(key):"] + value.lines(indent: indent + 2)
                case .list(let items) where !items.isEmpty: return ["\(pad)\(key):"] + value.lines(indent: indent + 2)
                default: return ["\(pad)\(key): \(value.scalar)"]
                }
            }
        case .list(let items):
            return items.flatMap { item -> [String] in
                let inner = item.lines(indent: indent + 2)
                switch item {
                case .map, .list:
                    guard let first = inner.first else { return ["\(pad)- {}"] }
                    return ["\(pad)- " + first.dropFirst(indent + 2)] + inner.dropFirst()
                default: return ["\(pad)- \(item.scalar)"]
                }
            }
        default:
            return [pad + scalar]
        }
    }

    private var scalar: String {
        switch self {
        case .string(let text):
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\"\(escaped)\""
        case .integer(let value): return String(value)
        case .null: return "null"
        case .map: return "{}"
        case .list: return "[]"
        }
    }
}
