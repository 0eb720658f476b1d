import Foundation
import Mustache

/// Renders a `WeeklyReport` into HTML and Markdown through the Mustache templates in a
/// directory (`models/templates`, or the user's `--templates DIR`), and into CSV.
///
/// The HTML template keeps Mustache's HTML escaping: every name from the cluster (namespace,
/// workload, label, budget) is escaped, so one called `<script>` is shown and never run. The
/// Markdown template declares `{{% CONTENT_TYPE: MARKDOWN}}`, which escapes what Markdown would
/// read as markup or as a table cell's end.
public struct ReportRenderer: Sendable {
    public static let htmlTemplate = "weekly-report.html"
    public static let markdownTemplate = "weekly-report.md"

    /// Why the templates cannot be used.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    let library: MustacheLibrary

    /// Loads every `*.mustache` file of `directory`; both report templates must be there.
    public init(templates directory: String) async throws {
        Self.registerMarkdown
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Error(description: "the templates directory '\(directory)' does not exist")
        }
        do {
            library = try await MustacheLibrary(directory: directory)
        } catch let error as MustacheLibrary.ParserError {
            throw Error(description: "\(directory)/\(error.filename).mustache:\(error.context.lineNumber):\(error.context.columnNumber): \(error.error)")
        } catch {
            throw Error(description: "cannot read the templates in '\(directory)': \(error)")
        }
        for name in [Self.htmlTemplate, Self.markdownTemplate] where library.getTemplate(named: name) == nil {
            throw Error(description: "the templates directory '\(directory)' has no \(name).mustache")
        }
    }

    public func html(_ report: WeeklyReport) -> String {
        library.render(ReportView(report), withTemplate: Self.htmlTemplate) ?? ""
    }

    public func markdown(_ report: WeeklyReport) -> String {
        library.render(ReportView(report), withTemplate: Self.markdownTemplate) ?? ""
    }

    /// `MARKDOWN` for the `CONTENT_TYPE` pragma, registered once.
    static let registerMarkdown: Void = MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
}

/// Escapes text for Markdown (CommonMark and GitHub tables): backslash-escapes the characters
/// that start markup, `|` so a cell cannot end early, and `<`/`>` as entities so no HTML passes;
/// line breaks become spaces so a value stays in its cell.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~": result += "\\\(character)"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}
