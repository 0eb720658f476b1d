import Foundation
import HeadroomTesting
import Testing

/// `--help` reads well at 80 columns: paragraphs are written without hard line breaks (the
/// argument parser wraps them), example and table lines fit in 80 columns. Golden files hold the
/// root's and two subcommands' help; regenerate one after a deliberate change with
/// `COLUMNS=80 .build/debug/headroom advise --help > Tests/HeadroomCLITests/Fixtures/help/advise.txt`
/// and read the diff.
@Suite struct HelpTextTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/help")

    static let commands: [[String]] = [
        [], ["import"], ["collect"], ["forecast"], ["forecast", "evaluate"], ["advise"], ["assess"], ["serve"], ["cost", "allocate"], ["cost", "report"],
        ["budget", "check"], ["alerts", "run"], ["alerts", "status"], ["alerts", "test"], ["alerts", "rules"], ["report", "weekly"], ["reclaim"], ["plan"], ["conformance"], ["sizing", "evaluate"], ["usage"], ["fixtures", "generate"], ["db", "stats"], ["db", "retain"], ["db", "collections"],
    ]

    static func help(_ command: [String], columns: Int) async throws -> String {
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), command + ["--help"], environment: ["COLUMNS": String(columns)])
        #expect(result.status == 0, "\(command): \(result.stderr)")
        return result.stdout
    }

    @Test("help at 80 columns equals its golden file", arguments: [("headroom", [String]()), ("advise", ["advise"]), ("reclaim", ["reclaim"])])
    func golden(name: String, command: [String]) async throws {
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("\(name).txt"), encoding: .utf8)
        let actual = try await Self.help(command, columns: 80)
        #expect(actual == expected, "headroom \(command.joined(separator: " ")) --help changed; diff it against Fixtures/help/\(name).txt")
    }

    /// The discussion: after the overview, up to the usage line.
    static func discussion(_ help: String) -> [Substring] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let usage = lines.firstIndex(where: { $0.hasPrefix("USAGE:") }), let gap = lines.firstIndex(of: "") else { return [] }
        return Array(lines[gap..<usage])
    }

    @Test("every command's examples fit in 80 columns and no paragraph carries a hard line break", arguments: commands)
    func layout(command: [String]) async throws {
        let name = "headroom " + command.joined(separator: " ")
        let lines = Self.discussion(try await Self.help(command, columns: 80))
        for line in lines { #expect(line.count < 80, "\(name): \(line.count) columns: \(line)") }
        // The parser wraps greedily, so it breaks a paragraph line only where the next word would not
        // fit; any other break in a paragraph was written into the text.
        for (line, next) in zip(lines, lines.dropFirst()) where !line.isEmpty && !next.isEmpty && !line.hasPrefix(" ") && !next.hasPrefix(" ") {
            let word = next.prefix { $0 != " " }
            #expect(line.count + 1 + word.count >= 80, "\(name): a hard break after \"\(line.suffix(30))\" (\"\(word)\" fits on that line)")
        }
        // Example and table lines (indented) must not be wrapped either: none may end where a wrapped
        // one would, and each must be shorter than the width.
        for (line, next) in zip(lines, lines.dropFirst()) where line.hasPrefix("  ") && !next.isEmpty && !next.hasPrefix(" ") {
            Issue.record("\(name): the line after the example \"\(line.suffix(30))\" is not indented: was it wrapped?")
        }
    }
}
