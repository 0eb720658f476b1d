import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomHistory
@testable import HeadroomReports
import HeadroomTesting
import Testing

/// The three renderings of one report model: the same totals in each, escaping of hostile
/// names, the charts' geometry, tidy CSV.
@Suite struct ReportRenderingTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/templates").path
    static let hostile = "<script>alert(1)</script>"

    /// A small report by hand: three namespaces (one named like markup), seven days.
    static func report(namespaces: [String] = ["checkout", hostile, "pipe|name"]) -> WeeklyReport {
        let amounts: [Int64] = [12_345_678, 2_500_001, 999_994]
        let previous: [Int64] = [11_000_000, 2_500_001, 0]
        let lines = zip(namespaces, zip(amounts, previous)).map { WeeklyReport.Line(name: $0, microdollars: $1.0, previousMicrodollars: $1.1) }
        let workloadsTotal = amounts.reduce(0, +), previousTotal = previous.reduce(0, +)
        let idle: Int64 = 4_000_004, unattached: Int64 = 70_000
        // Days: the namespaces' amounts split over 7 days, the last day takes the remainder.
        let daily = (0..<7).map { day -> WeeklyReport.Day in
            func part(_ total: Int64) -> Int64 { day < 6 ? total / 7 : total - 6 * (total / 7) }
            let parts = zip(namespaces, amounts).map { WeeklyReport.Day.Amount(name: $0, microdollars: part($1)) }
            let total = parts.reduce(0) { $0 + $1.microdollars } + part(idle) + part(unattached)
            return WeeklyReport.Day(date: "2026-11-\(16 + day)", start: 1_794_787_200 + Int64(day) * 86_400, namespaces: parts, idleMicrodollars: part(idle),
                                    unattachedMicrodollars: part(unattached), totalMicrodollars: total)
        }
        let container = { (namespace: String) in ContainerID(namespace: namespace, kind: .deployment, workload: "web", container: "main") }
        func cost(_ namespace: String, _ amount: Int64) -> PeriodContainerCost {
            PeriodContainerCost(container: container(namespace), cpuMicrodollars: amount, ramMicrodollars: 0, pvMicrodollars: 0,
                                drivers: CostDrivers(podHours: 168, cpuRequestMillicoreHours: Double(amount), cpuUsageMillicoreHours: Double(amount) / 2,
                                                     cpuChargedMillicoreHours: Double(amount), memoryRequestByteHours: 0, memoryUsageByteHours: 0,
                                                     memoryChargedByteHours: 0))
        }
        let causes = CostCauses.of(before: zip(namespaces, previous).filter { $1 > 0 }.map(cost), after: zip(namespaces, amounts).map(cost)) { $0.workload.namespace }
        let total = workloadsTotal + idle + unattached
        return WeeklyReport(
            metadata: .init(cluster: "demo", week: "2026-W47", previousWeek: "2026-W46", timeZone: "UTC", from: 1_794_787_200, to: 1_794_787_200 + 7 * 86_400,
                            firstDate: "2026-11-16", lastDate: "2026-11-22", generatedAt: 1_794_787_200 + 8 * 86_400, hoursWithUsage: 168, hours: 168,
                            sharedNamespaces: ["kube-system"], distribution: "proportional"),
            spend: .init(totalMicrodollars: total, previousMicrodollars: previousTotal + idle + unattached, changeMicrodollars: workloadsTotal - previousTotal,
                         changePercent: 12.5, workloadsMicrodollars: workloadsTotal, idleMicrodollars: idle, unattachedMicrodollars: unattached),
            daily: daily,
            namespaces: .init(by: "namespace", lines: lines, totalMicrodollars: workloadsTotal, previousTotalMicrodollars: previousTotal),
            workloads: .init(by: "workload", lines: lines.map { var line = $0; line.name += "/web"; return line }, totalMicrodollars: workloadsTotal,
                             previousTotalMicrodollars: previousTotal),
            labels: [.init(by: "label:team", lines: lines, totalMicrodollars: workloadsTotal, previousTotalMicrodollars: previousTotal)],
            causes: causes, workloadCauses: [],
            efficiency: NamespaceEfficiency.of(namespaces.map { .init(namespace: $0, cpuMicrodollars: 1_000_000, ramMicrodollars: 1_000_000, cpuUsageOverRequest: 0.5,
                                                                      memoryUsageOverRequest: 0.25) }),
            requestsAndUsage: namespaces.map { .init(workload: "\($0)/web", microdollars: 1_000_000, cpuRequestCores: 2, cpuUsageCores: 0.5, memoryRequestGiB: 4,
                                                     memoryUsageGiB: 1.5) },
            waste: [.init(pool: "backend", nodeMicrodollars: 20_000_000, idleMicrodollars: idle, idleShare: 0.2)],
            unattachedVolumes: [CostReport.Volume(volume: "pvc-orphan", microdollars: unattached)],
            savings: [.init(kind: "idle", target: "\(hostile)/web", monthlySavingMicrodollars: 9_990_000, risk: "low", evidence: "no CPU for 7 days",
                            command: "kubectl scale deployment web --replicas=0", patch: nil)],
            reclaimableMonthlyMicrodollars: 9_990_000, budgetMonth: "2026-11",
            budgets: [.init(budget: hostile, monthlyMicrodollars: 100_000_000, monthToDateMicrodollars: 40_000_000, p10Microdollars: 80_000_000,
                            p50Microdollars: 95_000_000, p90Microdollars: 120_000_000, status: "projected")],
            recommendations: [],
            followThrough: AdviceFollowThrough.of(previousWeek: "2026-W46", recorded: [
                RecordedAdvice(container: "demo:\(hostile)/Deployment/web/main", cpuRequestMillicores: 1000, memoryRequestBytes: 1 << 30,
                               recommendedCPURequestMillicores: 400, recommendedMemoryRequestBytes: 1 << 30, monthlyMicrodollars: 30_000_000,
                               recommendedMonthlyMicrodollars: 14_000_000),
            ], current: ["demo:\(hostile)/Deployment/web/main": (cpu: 400, memory: 1 << 30)], weekChange: ["demo:\(hostile)/Deployment/web/main": -3_500_000]))
    }

    static func cents(_ microdollars: Int64) -> Int64 { (microdollars + 5_000) / 10_000 }

    /// "$1,234.56" / "+$1.00" / "-$0.50" → cents.
    static func parseDollars(_ text: String) -> Int64? {
        let negative = text.hasPrefix("-")
        let digits = text.filter { $0.isNumber || $0 == "." }
        let parts = digits.split(separator: ".")
        guard parts.count == 2, let whole = Int64(parts[0]), let fraction = Int64(parts[1]), parts[1].count == 2 else { return nil }
        return (negative ? -1 : 1) * (whole * 100 + fraction)
    }

    static func render(_ report: WeeklyReport) async throws -> (html: String, markdown: String, csv: [String: String]) {
        let renderer = try await ReportRenderer(templates: templates)
        return (renderer.html(report), renderer.markdown(report), Dictionary(uniqueKeysWithValues: ReportCSV.files(report).map { ($0.name, $0.contents) }))
    }

    /// Cells of the HTML table with `id`, row by row.
    static func htmlRows(_ html: String, table id: String) -> [[String]] {
        guard let start = html.range(of: "<table id=\"\(id)\">"), let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex) else { return [] }
        let body = html[start.upperBound..<end.lowerBound]
        return body.components(separatedBy: "<tr>").dropFirst().map { row in
            row.components(separatedBy: "<td").dropFirst().map { cell in
                let text = cell.drop { $0 != ">" }.dropFirst()
                return String(text.prefix { $0 != "<" })
            }
        }.filter { !$0.isEmpty }
    }

    /// Cells of the Markdown table that follows `heading`.
    static func markdownRows(_ markdown: String, after heading: String) -> [[String]] {
        guard let start = markdown.range(of: heading) else { return [] }
        let lines = markdown[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("|") }
        return lines.prefix { $0.hasPrefix("|") }.dropFirst(2).map { line in
            line.dropFirst().dropLast().components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "**", with: "") }
        }
    }

    static func csvRows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n").dropFirst().map { $0.components(separatedBy: ",") }
    }

    @Test("the week's total, each namespace's cost and each day's total are the same cents in HTML, Markdown and CSV")
    func totalsAgree() async throws {
        let report = Self.report(namespaces: ["checkout", "search", "batch"])
        let (html, markdown, csv) = try await Self.render(report)

        let spendCSV = Self.csvRows(csv["spend.csv"]!).first { $0[1] == "cluster" && $0[2] == "cost" }!
        let htmlTotal = html.range(of: "data-total=\"spend\">").map { String(html[$0.upperBound...].prefix { $0 != "<" }) }
        let markdownTotal = markdown.range(of: "**").map { String(markdown[$0.upperBound...].prefix { $0 != "*" }) }
        let expected = Self.cents(report.spend.totalMicrodollars)
        #expect(htmlTotal.flatMap(Self.parseDollars) == expected)
        #expect(markdownTotal.flatMap(Self.parseDollars) == expected)
        #expect(Self.parseDollars(spendCSV[3]) == expected)

        // Namespaces: name → cents of this week, in every format.
        let htmlNamespaces = Dictionary(Self.htmlRows(html, table: "by-namespace").map { ($0[0], Self.parseDollars($0[1])) }, uniquingKeysWith: { $1 })
        let markdownNamespaces = Dictionary(Self.markdownRows(markdown, after: "### By namespace").map { ($0[0], Self.parseDollars($0[1])) }, uniquingKeysWith: { $1 })
        let csvNamespaces = Dictionary(Self.csvRows(csv["namespaces.csv"]!).filter { $0[2] == "cost" }.map { (String($0[1].dropFirst("namespace:".count)), Self.parseDollars($0[3])) },
                                       uniquingKeysWith: { $1 })
        for line in report.namespaces.lines {
            #expect(htmlNamespaces[line.name] == Self.cents(line.microdollars), "\(line.name) in HTML")
            #expect(markdownNamespaces[line.name] == Self.cents(line.microdollars), "\(line.name) in Markdown")
            #expect(csvNamespaces[line.name] == Self.cents(line.microdollars), "\(line.name) in CSV")
        }
        #expect(htmlNamespaces["Total"] == Self.cents(report.namespaces.totalMicrodollars))
        #expect(markdownNamespaces["Total"] == Self.cents(report.namespaces.totalMicrodollars))
        #expect(csvNamespaces["total"] == Self.cents(report.namespaces.totalMicrodollars))

        // Days.
        let htmlDays = Self.htmlRows(html, table: "daily").map { ($0[0], Self.parseDollars($0.last!)) }
        let markdownDays = Self.markdownRows(markdown, after: "## Spend").map { ($0[0], Self.parseDollars($0.last!)) }
        let csvDays = Self.csvRows(csv["daily.csv"]!).filter { $0[1] == "total" }.map { ($0[0], Self.parseDollars($0[3])) }
        let expectedDays = report.daily.map { ($0.date, Optional(Self.cents($0.totalMicrodollars))) }
        #expect(htmlDays.dropLast().map { "\($0.0) \(String(describing: $0.1))" } == expectedDays.map { "\($0.0) \(String(describing: $0.1))" })
        #expect(markdownDays.dropLast().map { "\($0.0) \(String(describing: $0.1))" } == expectedDays.map { "\($0.0) \(String(describing: $0.1))" })
        #expect(csvDays.map { "\($0.0) \(String(describing: $0.1))" } == expectedDays.map { "\($0.0) \(String(describing: $0.1))" })
        #expect(htmlDays.last?.1 == expected && markdownDays.last?.1 == expected, "the daily table's foot is the week's total")
    }

    @Test("a namespace and a budget named <script> are shown as text in HTML, never as markup")
    func htmlEscaping() async throws {
        let (html, _, _) = try await Self.render(Self.report())
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<title>2026-11-16 <script"), "inside SVG titles too")
    }

    @Test("in Markdown, a pipe cannot end a table cell and markup is escaped")
    func markdownEscaping() async throws {
        let (_, markdown, _) = try await Self.render(Self.report())
        #expect(markdown.contains("pipe\\|name"))
        #expect(!markdown.contains("<script"))
        #expect(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let rows = Self.markdownRows(markdown, after: "### By namespace")
        #expect(rows.allSatisfy { $0.count == 4 }, "every row has its four cells")
    }

    @Test("CSV: tidy columns, quoted commas and quotes, formulas defused")
    func csvFields() {
        #expect(ReportCSV.field("a,b") == "\"a,b\"")
        #expect(ReportCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReportCSV.field("=HYPERLINK(\"x\")").hasPrefix("\"'="))
        #expect(ReportCSV.field("-12.50") == "-12.50")
        #expect(ReportCSV.field("-cmd") == "'-cmd")
        for (name, contents) in ReportCSV.files(Self.report()) {
            #expect(contents.hasPrefix(ReportCSV.header + "\n"), "\(name)")
        }
    }

    @Test("the HTML is self-contained: SVG charts with bars, no scripts, no external resources")
    func selfContained() async throws {
        let (html, _, _) = try await Self.render(Self.report(namespaces: ["checkout", "search", "batch"]))
        #expect(html.components(separatedBy: "<svg").count - 1 == 4, "daily, CPU, memory and budget charts")
        #expect(html.components(separatedBy: "<rect").count - 1 >= 7 * 3)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link") && !html.contains("@import"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("<section id=\"follow-through\">") && html.contains("1000m → 400m") && html.contains("-$3.50"), "the adopted advice and its effect")
    }

    @Test("a templates directory without the report templates is refused by name")
    func missingTemplates() async throws {
        let directory = try TemporaryDirectory()
        try "{{x}}".write(toFile: directory.file("other.mustache"), atomically: true, encoding: .utf8)
        await #expect(throws: ReportRenderer.Error.self) { try await ReportRenderer(templates: directory.path) }
        await #expect(throws: ReportRenderer.Error.self) { try await ReportRenderer(templates: directory.file("missing")) }
    }

    @Test("chart ticks are round numbers covering the maximum", arguments: [(0.0, 1.0), (37.2, 40.0), (260.0, 300.0), (1.0, 1.0), (9_999.0, 10_000.0)])
    func ticks(maximum: Double, top: Double) {
        #expect(ReportChart.ticks(upTo: maximum).last == top)
    }
}
