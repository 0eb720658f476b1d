import HeadroomCore

/// One week across several clusters (`report weekly --clusters`): each cluster's spend, its
/// change on the week before and what it could save, with the sums, from the clusters' own
/// weekly reports, so every figure here is one of theirs.
public struct FleetWeeklySummary: Sendable, Encodable {
    public struct Cluster: Sendable, Encodable {
        public var cluster: String
        public var totalMicrodollars: Int64
        public var previousMicrodollars: Int64
        public var changeMicrodollars: Int64
        public var idleMicrodollars: Int64
        public var reclaimableMonthlyMicrodollars: Int64
        /// Hours of the week with usage stored, of `hours`.
        public var hoursWithUsage: Int
        public var hours: Int
    }

    public var week: String
    public var previousWeek: String
    public var timeZone: String
    public var clusters: [Cluster]
    public var totalMicrodollars: Int64
    public var previousMicrodollars: Int64
    public var changeMicrodollars: Int64
    public var reclaimableMonthlyMicrodollars: Int64

    /// The summary of reports of one week, in the order given.
    public init(_ reports: [WeeklyReport]) {
        week = reports.first?.metadata.week ?? ""
        previousWeek = reports.first?.metadata.previousWeek ?? ""
        timeZone = reports.first?.metadata.timeZone ?? ""
        clusters = reports.map { report in
            Cluster(cluster: report.metadata.cluster, totalMicrodollars: report.spend.totalMicrodollars,
                    previousMicrodollars: report.spend.previousMicrodollars, changeMicrodollars: report.spend.changeMicrodollars,
                    idleMicrodollars: report.spend.idleMicrodollars, reclaimableMonthlyMicrodollars: report.reclaimableMonthlyMicrodollars,
                    hoursWithUsage: report.metadata.hoursWithUsage, hours: report.metadata.hours)
        }
        totalMicrodollars = clusters.reduce(0) { $0 + $1.totalMicrodollars }
        previousMicrodollars = clusters.reduce(0) { $0 + $1.previousMicrodollars }
        changeMicrodollars = clusters.reduce(0) { $0 + $1.changeMicrodollars }
        reclaimableMonthlyMicrodollars = clusters.reduce(0) { $0 + $1.reclaimableMonthlyMicrodollars }
    }

    /// The summary as a Markdown page linking each cluster's report.
    public var markdown: String {
        var lines = ["# Weekly cost report \(week), \(clusters.count) clusters", "",
                     "\(ReportFormat.dollars(totalMicrodollars)) this week (\(timeZone)), \(ReportFormat.signedDollars(changeMicrodollars)) on \(previousWeek); "
                        + "\(ReportFormat.dollars(reclaimableMonthlyMicrodollars)) a month could be reclaimed.", "",
                     "| Cluster | This week | \(previousWeek) | Change | Idle | Reclaimable a month | Hours with usage |",
                     "|---|---:|---:|---:|---:|---:|---:|"]
        for cluster in clusters {
            lines.append("| [\(cluster.cluster)](\(cluster.cluster)/weekly-report.md) | \(ReportFormat.dollars(cluster.totalMicrodollars)) | "
                         + "\(ReportFormat.dollars(cluster.previousMicrodollars)) | \(ReportFormat.signedDollars(cluster.changeMicrodollars)) | "
                         + "\(ReportFormat.dollars(cluster.idleMicrodollars)) | \(ReportFormat.dollars(cluster.reclaimableMonthlyMicrodollars)) | "
                         + "\(cluster.hoursWithUsage) of \(cluster.hours) |")
        }
        lines.append("| **All** | **\(ReportFormat.dollars(totalMicrodollars))** | **\(ReportFormat.dollars(previousMicrodollars))** | "
                     + "**\(ReportFormat.signedDollars(changeMicrodollars))** | | **\(ReportFormat.dollars(reclaimableMonthlyMicrodollars))** | |")
        return lines.joined(separator: "\n") + "\n"
    }
}
