import Foundation
import HeadroomService
import Logging
import Testing

/// Log lines in logfmt and JSON: one line per event, quoting and escaping as each format needs.
@Suite struct StructuredLogHandlerTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var all: [String] { lock.withLock { stored } }
    }

    func logger(_ format: StructuredLogHandler.Format, _ lines: Lines, level: Logger.Level = .info) -> Logger {
        Logger(label: "headroom.test") { label in StructuredLogHandler(label: label, format: format, level: level, write: lines.append) }
    }

    @Test("logfmt: bare simple values, quoted and escaped ones with spaces, quotes, = or newlines; sorted metadata")
    func logfmt() throws {
        let lines = Lines()
        logger(.logfmt, lines).info("cycle", metadata: ["outcome": "ok", "error": "a \"b\"=c\nd", "cycle": "3"])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(" level=info msg=cycle logger=headroom.test cycle=3 error=\"a \\\"b\\\"=c\\nd\" outcome=ok\n"), "\(line)")
        #expect(line.hasPrefix("time=20"))
        #expect(lines.all.count == 1 && line.filter { $0 == "\n" }.count == 1)
    }

    @Test("json: every line is one JSON object with time, level, msg, logger and the metadata")
    func json() throws {
        let lines = Lines()
        logger(.json, lines).error("cycle failed", metadata: ["error": "quote \" backslash \\ tab \t bell \u{07}"])
        let line = try #require(lines.all.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "error" && object["msg"] == "cycle failed" && object["logger"] == "headroom.test")
        #expect(object["error"] == "quote \" backslash \\ tab \t bell \u{07}")
        #expect(object["time"].map { ISO8601DateFormatter.fractional.date(from: $0) != nil } == true)
    }

    @Test("events below the level are not written")
    func level() {
        let lines = Lines()
        let log = logger(.logfmt, lines, level: .warning)
        log.info("quiet")
        log.warning("loud")
        #expect(lines.all.count == 1 && lines.all[0].contains("msg=loud"))
    }
}

extension ISO8601DateFormatter {
    static var fractional: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
