import Foundation
import Yams

/// Renders an encodable report as JSON or YAML, or a table through the caller's closure.
enum Render {
    static func output<T: Encodable>(_ value: T, format: OutputFormat, table: () -> String) throws -> String {
        switch format {
        case .table:
            return table()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        case .yaml:
            let encoder = YAMLEncoder()
            encoder.options.sortKeys = true
            return try encoder.encode(value)
        }
    }
}

/// Writes to standard error (progress and diagnostics never mix with the report on stdout).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
