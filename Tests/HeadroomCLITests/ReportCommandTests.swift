import Foundation
import HeadroomTesting
import Testing

/// `headroom report weekly` on the demo cluster: the files it writes and how their figures tie
/// together; its errors.
@Suite struct ReportCommandTests {
    static let budgets = DemoStore.root.appendingPathComponent("models/budgets/terrafusion.example.yaml").path

    static func object(_ any: Any?) -> [String: Any] { any as? [String: Any] ?? [:] }
    static func int(_ any: Any?) -> Int64 { (any as? NSNumber)?.int64Value ?? Int64.min }

    @Test("the demo's week: every format written, the days add up to the week, the namespaces to the workloads, each cause to its change")
    func demoWeek() async throws {
        let directory = try TemporaryDirectory()
        let demo = try DemoStore(in: directory)
        let imported = try await demo.run(["import"] + demo.files)
        #expect(imported.status == 0, "\(imported.stderr)")
        let out = directory.file("report")
        let result = try await demo.run(["report", "weekly", "--budgets", Self.budgets, "--timezone", "Europe/Berlin", "--format", "html,md,csv,json", "--out", out])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Weekly report 20") && result.stdout.contains("Wrote 15 files"), "\(result.stdout)")
        for name in ["weekly-report.html", "weekly-report.md", "weekly-report.json", "spend.csv", "daily.csv", "causes.csv", "recommendations.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name)"), "\(name)")
        }

        let json = Self.object(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/weekly-report.json"))))
        let metadata = Self.object(json["metadata"]), spend = Self.object(json["spend"])
        #expect(metadata["timeZone"] as? String == "Europe/Berlin")
        // Berlin is UTC+1 in winter: the week starts at 23:00 UTC on Sunday.
        #expect((Self.int(metadata["from"]) + 3600) % 86_400 == 0 && Self.int(metadata["to"]) - Self.int(metadata["from"]) == 7 * 86_400)
        let total = Self.int(spend["totalMicrodollars"])
        #expect(total > 0)
        let days = (json["daily"] as? [Any] ?? []).map(Self.object)
        #expect(days.count == 7)
        #expect(days.reduce(0) { $0 + Self.int($1["totalMicrodollars"]) } == total, "the days add up to the week")
        #expect(Self.int(spend["workloadsMicrodollars"]) + Self.int(spend["idleMicrodollars"]) + Self.int(spend["unattachedMicrodollars"]) == total)
        let namespaces = Self.object(json["namespaces"])
        #expect(Self.int(namespaces["totalMicrodollars"]) == Self.int(spend["workloadsMicrodollars"]), "shared namespaces spread, nothing lost")
        let lines = (namespaces["lines"] as? [Any] ?? []).map(Self.object)
        #expect(lines.reduce(0) { $0 + Self.int($1["microdollars"]) } == Self.int(namespaces["totalMicrodollars"]))
        for cause in ((json["causes"] as? [Any] ?? []) + (json["workloadCauses"] as? [Any] ?? [])).map(Self.object) {
            let parts = ["requestsMicrodollars", "replicasMicrodollars", "usageAboveRequestsMicrodollars", "addedRemovedMicrodollars", "pricesMicrodollars"]
            #expect(parts.reduce(0) { $0 + Self.int(cause[$1]) } == Self.int(cause["afterMicrodollars"]) - Self.int(cause["beforeMicrodollars"]), "\(cause["name"] ?? "")")
        }
        #expect(!(json["budgets"] as? [Any] ?? []).isEmpty && !(json["recommendations"] as? [Any] ?? []).isEmpty)

        // The CSV's total is the JSON's, to the cent.
        let spendCSV = try String(contentsOfFile: "\(out)/spend.csv", encoding: .utf8)
        let cents = (total + 5_000) / 10_000
        #expect(spendCSV.contains("cluster,cost,\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100),USD"), "\(spendCSV)")
        let html = try String(contentsOfFile: "\(out)/weekly-report.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 4 && html.contains("production"))
        let markdown = try String(contentsOfFile: "\(out)/weekly-report.md", encoding: .utf8)
        #expect(markdown.hasPrefix("# Weekly cost report: terrafusion"))

        #expect(markdown.contains("No advice was recorded for"), "the first report has nothing to follow")

        // The next week's report, mailed to a relay that refuses: exit 1, the reason on stderr, the
        // files kept; it follows the advice the first report recorded.
        let week = try #require(metadata["week"] as? String)
        let number = try #require(Int(week.suffix(2)))
        let next = "\(week.prefix(6))\(number + 1 < 10 ? "0" : "")\(number + 1)"
        let sink = try await SMTPSink(refuse: ["finops@example.com"])
        let mailOut = directory.file("mailed")
        let mailed = try await demo.run(["report", "weekly", "--week", next, "--format", "md", "--out", mailOut, "--smtp", sink.url, "--from", "headroom@example.com",
                                         "--to", "finops@example.com", "--attempts", "1"])
        #expect(mailed.status == 1, "\(mailed.stderr)")
        #expect(mailed.stderr.contains("not delivered") && mailed.stderr.contains("550"), "\(mailed.stderr)")
        let nextMarkdown = try String(contentsOfFile: "\(mailOut)/weekly-report.md", encoding: .utf8)
        #expect(nextMarkdown.contains("\(week)'s report advised changes to"), "\(nextMarkdown.suffix(1500))")
    }

    @Test("bad flags are refused before anything is read, with the reason", arguments: [
        (["--week", "2025-W53"], "2025 has 52 ISO weeks"),
        (["--week", "47"], "YYYY-Www"),
        (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--format", "html,pdf"], "unknown format 'pdf'"),
        (["--templates", "/nonexistent"], "'/nonexistent' does not exist"),
        (["--smtp", "smtp://127.0.0.1:25"], "--smtp needs --from"),
        (["--smtp", "smtp://127.0.0.1:25", "--from", "a@example.com", "--to", "not an address"], "is not a mail address"),
        (["--from", "a@example.com"], "need --smtp"),
    ])
    func badFlags(arguments: [String], reason: String) async throws {
        let directory = try TemporaryDirectory()
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["report", "weekly", "--out", directory.file("out"), "--db", directory.file("none.sqlite")] + arguments,
                                                environment: ["HEADROOM_MODELS": DemoStore.models])
        #expect(result.status == 2 && result.stderr.contains(reason), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("out")), "nothing written")
    }
}
