import Foundation
import HeadroomCore
import Yams

/// A YAML node with the file it came from, so every value read can name its line on error.
/// Configuration files (sizing overrides, budgets, prices) are read through this instead of
/// `Decodable`, whose errors carry key paths but no line numbers.
public struct LocatedYAML {
    public let file: String
    public let node: Node

    public init(file: String, node: Node) {
        self.file = file
        self.node = node
    }

    /// Parses `text` (the contents of `file`); malformed YAML is an error at its line.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> LocatedYAML {
        do {
            guard let node = try Yams.compose(yaml: text, .default, .default, .utf8) else { throw ConfigError(file: file, line: nil, reason: "the file is empty") }
            return LocatedYAML(file: file, node: node)
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw ConfigError(file: file, line: mark.line, reason: "malformed YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, _):
                throw ConfigError(file: file, line: nil, reason: "duplicate keys \(duplicates.joined(separator: ", "))")
            default:
                throw ConfigError(file: file, line: nil, reason: "malformed YAML: \(error)")
            }
        } catch {
            throw ConfigError(file: file, line: nil, reason: "malformed YAML: \(error)")
        }
    }

    /// Reads and parses a file.
    public static func load(_ path: String) throws(ConfigError) -> LocatedYAML {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(file: path, line: nil, reason: "cannot read (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    public var line: Int? { node.mark?.line }

    public func fail(_ reason: String) -> ConfigError { ConfigError(file: file, line: line, reason: reason) }

    private func child(_ node: Node) -> LocatedYAML { LocatedYAML(file: file, node: node) }

    /// The entries of a mapping in file order; unknown keys are an error when `allowed` is given.
    public func mapping(allowed: Set<String>? = nil, what: String) throws(ConfigError) -> [(key: String, value: LocatedYAML)] {
        guard let mapping = node.mapping else { throw fail("\(what) must be a mapping") }
        var entries: [(key: String, value: LocatedYAML)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw child(key).fail("\(what): keys must be strings") }
            if let allowed, !allowed.contains(name) {
                throw child(key).fail("unknown key \"\(name)\" in \(what) (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            entries.append((name, child(value)))
        }
        return entries
    }

    /// The value under `key` of a mapping, if present.
    public func optional(_ key: String) -> LocatedYAML? { node.mapping?[key].map(child) }

    public func required(_ key: String, in what: String) throws(ConfigError) -> LocatedYAML {
        guard let value = optional(key) else { throw fail("\(what) needs \"\(key)\"") }
        return value
    }

    public func sequence(what: String) throws(ConfigError) -> [LocatedYAML] {
        guard let sequence = node.sequence else { throw fail("\(what) must be a list") }
        return sequence.map(child)
    }

    public func string(what: String) throws(ConfigError) -> String {
        guard let scalar = node.scalar else { throw fail("\(what) must be a single value") }
        return scalar.string
    }

    /// A finite number, optionally within `range`.
    public func number(what: String, in range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        let text = try string(what: what)
        guard let value = Double(text), value.isFinite else { throw fail("\(what) \"\(text)\" is not a number") }
        if let range, !range.contains(value) { throw fail("\(what) \(text) is outside \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    public func integer(what: String, in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        let text = try string(what: what)
        guard let value = Int(text) else { throw fail("\(what) \"\(text)\" is not a whole number") }
        if let range, !range.contains(value) { throw fail("\(what) \(text) is outside \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    public func cpu(what: String) throws(ConfigError) -> CPUQuantity {
        let text = try string(what: what)
        do { return try CPUQuantity(parsing: text) } catch { throw fail("\(what) \"\(text)\": \(error)") }
    }

    public func memory(what: String) throws(ConfigError) -> MemoryQuantity {
        let text = try string(what: what)
        do { return try MemoryQuantity(parsing: text) } catch { throw fail("\(what) \"\(text)\": \(error)") }
    }
}
