import Foundation

/// The weekly report as one MIME message (RFC 5322 / 2045–2049): the HTML with the Markdown as
/// its text alternative, and the CSV files attached. The Message-ID is fixed per cluster and
/// week, so a message sent again after a failure is recognisably the same one.
public enum ReportMail {
    public static func subject(_ report: WeeklyReport) -> String {
        "Headroom weekly cost report \(report.metadata.week), \(report.metadata.cluster): \(ReportFormat.dollars(report.spend.totalMicrodollars)) "
            + "(\(ReportFormat.signedDollars(report.spend.changeMicrodollars)) on \(report.metadata.previousWeek))"
    }

    public static func messageID(_ report: WeeklyReport) -> String {
        let safe = { (text: String) in String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }) }
        return "<weekly-\(safe(report.metadata.week)).\(safe(report.metadata.cluster))@headroom>"
    }

    public static func message(_ report: WeeklyReport, html: String, markdown: String, attachments: [(name: String, contents: String)],
                               from: String, to: [String]) -> Data {
        let mixed = "=_headroom_mixed_\(report.metadata.week)", alternative = "=_headroom_alt_\(report.metadata.week)"
        var lines: [String] = [
            "From: \(header(from))",
            "To: \(to.map(header).joined(separator: ", "))",
            "Subject: \(encodedWord(subject(report)))",
            "Date: \(date(report.metadata.generatedAt))",
            "Message-ID: \(messageID(report))",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(mixed)\"",
            "",
            "This is a MIME message: the weekly cost report in HTML, with a text version and CSV attachments.",
            "--\(mixed)",
            "Content-Type: multipart/alternative; boundary=\"\(alternative)\"",
            "",
            "--\(alternative)",
        ]
        lines += part(type: "text/plain; charset=utf-8", body: markdown)
        lines.append("--\(alternative)")
        lines += part(type: "text/html; charset=utf-8", body: html)
        lines.append("--\(alternative)--")
        for attachment in attachments {
            lines.append("--\(mixed)")
            let name = attachment.name.filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }
            lines += part(type: "text/csv; charset=utf-8; name=\"\(name)\"", body: attachment.contents,
                          extra: ["Content-Disposition: attachment; filename=\"\(name)\""])
        }
        lines.append("--\(mixed)--")
        lines.append("")
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    static func part(type: String, body: String, extra: [String] = []) -> [String] {
        let encoded = Data(body.utf8).base64EncodedString()
        var wrapped: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            wrapped.append(String(encoded[index..<end]))
            index = end
        }
        return ["Content-Type: \(type)", "Content-Transfer-Encoding: base64"] + extra + [""] + wrapped
    }

    /// A header value with line breaks removed (no header injection through an address).
    static func header(_ text: String) -> String {
        String(text.filter { $0 != "\r" && $0 != "\n" })
    }

    /// RFC 2047 `=?UTF-8?B?…?=` when the text is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        let clean = header(text)
        guard clean.unicodeScalars.contains(where: { !$0.isASCII }) else { return clean }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }

    /// RFC 5322 date, UTC: `Mon, 23 Nov 2026 08:00:00 +0000`.
    static func date(_ time: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }
}

/// The report's headline for a chat webhook (Slack's incoming-webhook `{"text": …}`).
public enum ReportChatSummary {
    public static func text(_ report: WeeklyReport) -> String {
        var lines = ["*\(ReportMail.subject(report))*"]
        let spend = report.spend
        lines.append("Workloads \(ReportFormat.dollars(spend.workloadsMicrodollars)), idle \(ReportFormat.dollars(spend.idleMicrodollars)), "
                     + "unattached volumes \(ReportFormat.dollars(spend.unattachedMicrodollars)); change \(ReportFormat.percent(spend.changePercent)).")
        for mover in report.causes.prefix(3) {
            lines.append("• \(mover.name): \(ReportFormat.signedDollars(mover.changeMicrodollars)) (requests \(ReportFormat.signedDollars(mover.requestsMicrodollars)), "
                         + "replicas \(ReportFormat.signedDollars(mover.replicasMicrodollars)), usage \(ReportFormat.signedDollars(mover.usageAboveRequestsMicrodollars)), "
                         + "added/removed \(ReportFormat.signedDollars(mover.addedRemovedMicrodollars)), prices \(ReportFormat.signedDollars(mover.pricesMicrodollars)))")
        }
        for budget in report.budgets where budget.p90Microdollars > budget.monthlyMicrodollars {
            lines.append("• budget \(budget.budget): P90 \(ReportFormat.dollars(budget.p90Microdollars)) against \(ReportFormat.dollars(budget.monthlyMicrodollars)) (\(budget.status))")
        }
        if report.reclaimableMonthlyMicrodollars > 0 {
            lines.append("Reclaimable: \(ReportFormat.dollars(report.reclaimableMonthlyMicrodollars)) a month.")
        }
        // Slack reads &, < and > as control characters; names are shown as they are.
        return lines.joined(separator: "\n").replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `{"text": …}`, escaped as JSON.
    public static func payload(_ report: WeeklyReport) -> Data {
        (try? JSONSerialization.data(withJSONObject: ["text": text(report)], options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
