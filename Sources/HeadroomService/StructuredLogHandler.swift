import Foundation
import Logging

/// One line per log event in logfmt (`time=… level=info msg=cycle outcome=ok …`) or JSON, the
/// two formats log pipelines (Loki, Elasticsearch, Cloud Logging) parse without a pattern.
/// Metadata keys are sorted so a line reads the same every time.
public struct StructuredLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case logfmt, json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let format: Format
    let write: @Sendable (String) -> Void

    /// `write` receives each line with its newline (standard error by default).
    public init(label: String, format: Format, level: Logger.Level = .info,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label
        self.format = format
        logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("time", Self.timestamp(Date())), ("level", event.level.rawValue), ("msg", "\(event.message)"), ("logger", label),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
        write(Self.line(fields, format))
    }

    /// The fields as one line in `format`.
    static func line(_ fields: [(String, String)], _ format: Format) -> String {
        switch format {
        case .logfmt:
            return fields.map { "\($0.0)=\(logfmtValue($0.1))" }.joined(separator: " ") + "\n"
        case .json:
            return "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}\n"
        }
    }

    /// Bare when it has no space, quote, `=`, backslash or control character; else quoted with
    /// the same escapes as a JSON string (which logfmt readers accept).
    static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20 }
        return needsQuotes ? jsonString(value) : value
    }

    /// A JSON string literal (RFC 8259 escapes).
    static func jsonString(_ value: String) -> String {
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            default: quoted += scalar.value < 0x20 ? String(format: "\\u%04x", scalar.value) : String(scalar)
            }
        }
        return quoted + "\""
    }

    /// RFC 3339 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
