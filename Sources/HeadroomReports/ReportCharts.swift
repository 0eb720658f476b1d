import HeadroomCost

/// An SVG chart as plain geometry for the templates: rectangles, lines and text with their
/// coordinates already computed, so a template only places them (and escapes every text).
public struct ReportChart: Sendable {
    public struct Rect: Sendable { public var x, y, width, height, color, title: String }
    public struct Line: Sendable { public var x1, y1, x2, y2, color, dash: String }
    public struct Text: Sendable { public var x, y, text, anchor, size, color: String }
    public struct LegendEntry: Sendable { public var color, name: String }

    public var id: String
    public var title: String
    public var width: String
    public var height: String
    public var rects: [Rect] = []
    public var lines: [Line] = []
    public var texts: [Text] = []
    public var legend: [LegendEntry] = []
    /// Whether there is anything to draw.
    public var hasData: Bool { !rects.isEmpty }

    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D31", "#6A3D9A", "#B15928", "#1F78B4"]
    static let otherColor = "#7F7F7F", idleColor = "#C7C7C7", unattachedColor = "#E3E3E3"

    static func n(_ value: Double) -> String { ReportFormat.fixed(value, digits: 1) }

    /// Ticks at a round step (1, 2 or 5 × 10ⁿ) from 0 to at least `maximum`.
    static func ticks(upTo maximum: Double, count: Int = 4) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 1] }
        let raw = maximum / Double(count)
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var values: [Double] = [0]
        while values.last! < maximum - 1e-9 { values.append(values.last! + step) }
        return values
    }

    static func wholeDollars(_ dollars: Double) -> String {
        ReportFormat.dollars(Int64((dollars * 1_000_000).rounded())).replacingOccurrences(of: ".00", with: "")
    }

    /// Daily cost stacked by namespace, then idle and unattached volumes.
    static func daily(_ report: WeeklyReport) -> ReportChart {
        var chart = ReportChart(id: "daily-cost", title: "Daily cost by namespace, \(report.metadata.week)", width: "720", height: "300")
        let left = 80.0, right = 700.0, top = 12.0, bottom = 262.0
        let maximum = Double(report.daily.map(\.totalMicrodollars).max() ?? 0) / 1_000_000
        let ticks = ticks(upTo: maximum)
        let scale = (bottom - top) / (ticks.last ?? 1)
        for tick in ticks {
            let y = bottom - tick * scale
            chart.lines.append(Line(x1: n(left), y1: n(y), x2: n(right), y2: n(y), color: "#E0E0E0", dash: ""))
            chart.texts.append(Text(x: n(left - 6), y: n(y + 4), text: wholeDollars(tick), anchor: "end", size: "11", color: "#333333"))
        }
        let names = report.daily.first?.namespaces.map(\.name) ?? []
        func color(_ name: String, _ index: Int) -> String { name == WeeklyReport.otherName ? otherColor : palette[index % palette.count] }
        let slot = (right - left) / Double(max(report.daily.count, 1)), barWidth = slot * 0.62
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        for (index, day) in report.daily.enumerated() {
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            var base = bottom
            let parts = day.namespaces.enumerated().map { ($1.name, $1.microdollars, color($1.name, $0)) }
                + [("idle", day.idleMicrodollars, idleColor), ("unattached volumes", day.unattachedMicrodollars, unattachedColor)]
            for (name, amount, fill) in parts where amount > 0 {
                let height = Double(amount) / 1_000_000 * scale
                base -= height
                chart.rects.append(Rect(x: n(x), y: n(base), width: n(barWidth), height: n(max(height, 0.1)), color: fill,
                                        title: "\(day.date) \(name): \(ReportFormat.dollars(amount))"))
            }
            chart.texts.append(Text(x: n(x + barWidth / 2), y: n(bottom + 16), text: "\(weekdays[index % 7]) \(day.date.suffix(2))", anchor: "middle", size: "11", color: "#333333"))
            chart.texts.append(Text(x: n(x + barWidth / 2), y: n(max(base - 4, top + 8)), text: wholeDollars(Double(day.totalMicrodollars) / 1_000_000), anchor: "middle", size: "10", color: "#333333"))
        }
        chart.lines.append(Line(x1: n(left), y1: n(bottom), x2: n(right), y2: n(bottom), color: "#333333", dash: ""))
        chart.legend = names.enumerated().map { LegendEntry(color: color($1, $0), name: $1) }
            + [LegendEntry(color: idleColor, name: "idle"), LegendEntry(color: unattachedColor, name: "unattached volumes")]
        return chart
    }

    /// Mean requested against mean used, one row per workload, as horizontal bars.
    static func requestsAndUsage(_ rows: [WeeklyReport.RequestsAndUsage], id: String, title: String, unit: String,
                                 values: (WeeklyReport.RequestsAndUsage) -> (request: Double, usage: Double)) -> ReportChart {
        let rowHeight = 30.0, top = 8.0, left = 230.0, right = 600.0
        var chart = ReportChart(id: id, title: title, width: "720", height: n(top + rowHeight * Double(rows.count) + 24))
        let maximum = rows.map { max(values($0).request, values($0).usage) }.max() ?? 0
        let scale = (right - left) / max(maximum, 1e-9)
        for (index, row) in rows.enumerated() {
            let (request, usage) = values(row)
            let y = top + rowHeight * Double(index)
            let name = row.workload.count > 34 ? String(row.workload.prefix(33)) + "…" : row.workload
            chart.texts.append(Text(x: n(left - 8), y: n(y + 17), text: name, anchor: "end", size: "12", color: "#222222"))
            chart.rects.append(Rect(x: n(left), y: n(y + 4), width: n(max(request * scale, 0.5)), height: "20", color: "#A6CEE3",
                                    title: "\(row.workload) requested \(ReportFormat.fixed(request, digits: 2)) \(unit)"))
            chart.rects.append(Rect(x: n(left), y: n(y + 9), width: n(max(usage * scale, 0.5)), height: "10", color: "#1F4E79",
                                    title: "\(row.workload) used \(ReportFormat.fixed(usage, digits: 2)) \(unit)"))
            chart.texts.append(Text(x: n(left + max(request, usage) * scale + 6), y: n(y + 18),
                                    text: "\(ReportFormat.fixed(usage, digits: 2)) of \(ReportFormat.fixed(request, digits: 2)) \(unit)", anchor: "start", size: "11", color: "#333333"))
        }
        chart.legend = [LegendEntry(color: "#A6CEE3", name: "requested (mean over the week)"), LegendEntry(color: "#1F4E79", name: "used (mean)")]
        return chart
    }

    /// Each budget's month-end projection: the P10–P90 band, P50, the month to date and the budget.
    static func projection(_ report: WeeklyReport) -> ReportChart {
        let rowHeight = 44.0, top = 8.0, left = 180.0, right = 640.0
        var chart = ReportChart(id: "budget-projection", title: "Month-end projection against budget, \(report.budgetMonth ?? "")", width: "720",
                                height: n(top + rowHeight * Double(report.budgets.count) + 28))
        let maximum = report.budgets.map { Double(max($0.monthlyMicrodollars, $0.p90Microdollars, $0.monthToDateMicrodollars)) }.max() ?? 0
        let scale = (right - left) / max(maximum * 1.08, 1)
        for (index, budget) in report.budgets.enumerated() {
            let y = top + rowHeight * Double(index)
            func x(_ amount: Int64) -> Double { left + Double(amount) * scale }
            chart.texts.append(Text(x: n(left - 8), y: n(y + 20), text: budget.budget, anchor: "end", size: "12", color: "#222222"))
            chart.rects.append(Rect(x: n(x(budget.p10Microdollars)), y: n(y + 6), width: n(max(x(budget.p90Microdollars) - x(budget.p10Microdollars), 1)), height: "22",
                                    color: "#FDD0A2", title: "\(budget.budget) projected P10–P90: \(ReportFormat.dollars(budget.p10Microdollars))–\(ReportFormat.dollars(budget.p90Microdollars))"))
            chart.rects.append(Rect(x: n(left), y: n(y + 14), width: n(max(x(budget.monthToDateMicrodollars) - left, 0.5)), height: "6", color: "#525252",
                                    title: "\(budget.budget) month to date: \(ReportFormat.dollars(budget.monthToDateMicrodollars))"))
            chart.lines.append(Line(x1: n(x(budget.p50Microdollars)), y1: n(y + 4), x2: n(x(budget.p50Microdollars)), y2: n(y + 30), color: "#D94801", dash: ""))
            chart.lines.append(Line(x1: n(x(budget.monthlyMicrodollars)), y1: n(y + 1), x2: n(x(budget.monthlyMicrodollars)), y2: n(y + 35), color: "#CB181D", dash: "4 3"))
            chart.texts.append(Text(x: n(x(budget.monthlyMicrodollars) + 4), y: n(y + 40), text: "budget \(ReportFormat.dollars(budget.monthlyMicrodollars))",
                                    anchor: "start", size: "10", color: "#CB181D"))
            chart.texts.append(Text(x: n(x(budget.p50Microdollars) - 4), y: n(y + 40), text: "P50 \(ReportFormat.dollars(budget.p50Microdollars))",
                                    anchor: "end", size: "10", color: "#D94801"))
        }
        chart.legend = [LegendEntry(color: "#FDD0A2", name: "projected month end, P10–P90"), LegendEntry(color: "#D94801", name: "P50"),
                        LegendEntry(color: "#525252", name: "month to date"), LegendEntry(color: "#CB181D", name: "budget")]
        return chart
    }
}
