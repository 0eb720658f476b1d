import Foundation
@testable import HeadroomReports
import HeadroomTesting
import Testing

/// The HTML report in a real browser: Debian's Chromium, headless, renders it to a PNG and to a
/// PDF, and lays it out for a measurement. The shipped report has no script; the measurement runs
/// on a copy with one appended, which writes the charts' sizes into the page for `--dump-dom`.
@Suite(.serialized) struct ReportBrowserTests {
    static func chromium() throws -> String {
        try #require(ChildProcess.onPath("chromium") ?? ChildProcess.onPath("chromium-browser"),
                     "Chromium is not installed: run scripts/install-deps (Debian package chromium)")
    }

    static func browse(_ arguments: [String], in directory: TemporaryDirectory) async throws -> ChildProcess.Result {
        try await ChildProcess.run(try chromium(), ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.file("profile"))",
                                                    "--enable-logging=stderr", "--v=0", "--hide-scrollbars"] + arguments)
    }

    static func writeReport(_ directory: TemporaryDirectory) async throws -> String {
        let renderer = try await ReportRenderer(templates: ReportRenderingTests.templates)
        let html = renderer.html(ReportRenderingTests.report())
        let path = directory.file("weekly-report.html")
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Console messages the page logged (Chromium writes them as `CONSOLE` log lines).
    static func consoleLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
    }

    @Test("a PNG screenshot: not blank, and the page logged nothing to the console")
    func screenshot() async throws {
        let directory = try TemporaryDirectory()
        let page = try await Self.writeReport(directory)
        let png = directory.file("report.png")
        let result = try await Self.browse(["--window-size=1000,2400", "--screenshot=\(png)", "file://\(page)"], in: directory)
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
        // IHDR: width and height, big-endian, at bytes 16–23.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1000 && height == 2400)
        // A blank 1000×2400 page compresses to a few kilobytes; text, tables and charts do not.
        #expect(data.count > 60_000, "\(data.count) bytes")
        #expect(Self.consoleLines(result.stderr).isEmpty, "\(Self.consoleLines(result.stderr))")
    }

    @Test("a PDF on A4: more than one page, nothing logged")
    func pdf() async throws {
        let directory = try TemporaryDirectory()
        let page = try await Self.writeReport(directory)
        let pdf = directory.file("report.pdf")
        let result = try await Self.browse(["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://\(page)"], in: directory)
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let data = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(data.prefix(5) == Data("%PDF-".utf8))
        let text = String(decoding: data, as: UTF8.self)
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages >= 2, "\(pages) pages")
        // A4 is 595 × 842 points.
        #expect(text.contains("/MediaBox [0 0 594.95996 841.91998]") || text.contains("/MediaBox [0 0 595 842]"), "A4 media box")
        #expect(Self.consoleLines(result.stderr).isEmpty)
    }

    @Test("laid out: four SVG charts, each with a non-zero size and bars inside it, and the hostile name shown as text")
    func layout() async throws {
        let directory = try TemporaryDirectory()
        let page = try await Self.writeReport(directory)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let probe = """
            <script>
            const charts = [...document.querySelectorAll('svg')].map(svg => { const box = svg.getBoundingClientRect();
              return { id: svg.parentElement.id, width: box.width, height: box.height, bars: svg.querySelectorAll('rect').length }; });
            const result = { charts, text: document.body.innerText.length, scripts: document.scripts.length,
              hostile: document.body.innerText.includes('<script>alert(1)<\\/script>') };
            document.body.insertAdjacentHTML('beforeend', '<pre id="probe">' + JSON.stringify(result) + '</pre>');
            </script>
            """
        let measured = directory.file("measured.html")
        try html.replacingOccurrences(of: "</body>", with: probe + "</body>").write(toFile: measured, atomically: true, encoding: .utf8)
        let result = try await Self.browse(["--window-size=1000,2400", "--dump-dom", "file://\(measured)"], in: directory)
        #expect(result.status == 0)
        let json = try #require(result.stdout.range(of: "<pre id=\"probe\">", options: .backwards).map { String(result.stdout[$0.upperBound...].prefix { $0 != "<" }) })
        let probeResult = try #require(try JSONSerialization.jsonObject(with: Data(json.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&").utf8)) as? [String: Any])
        let charts = probeResult["charts"] as? [[String: Any]] ?? []
        #expect(charts.map { $0["id"] as? String ?? "" } == ["daily-cost", "cpu-requests-usage", "memory-requests-usage", "budget-projection"])
        for chart in charts {
            #expect((chart["width"] as? Double ?? 0) > 100 && (chart["height"] as? Double ?? 0) > 50, "\(chart)")
            #expect((chart["bars"] as? Int ?? 0) > 0, "\(chart)")
        }
        #expect((probeResult["text"] as? Int ?? 0) > 2_000)
        #expect(probeResult["scripts"] as? Int == 1, "only the probe: the hostile name did not become a script")
        #expect(probeResult["hostile"] as? Bool == true, "the hostile name is on the page as text")
    }
}
