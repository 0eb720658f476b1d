import GRDB

extension HistoryStore {
    /// The channels (`mail`, `post`) the weekly report of `week` was delivered to for `cluster`.
    public func reportDeliveries(cluster: String, week: String) throws(HistoryError) -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT channel FROM report_deliveries WHERE cluster = ? AND week = ?", arguments: [cluster, week]))
        }
    }

    /// Records a delivery; recording it again keeps the first time.
    public func recordReportDelivery(cluster: String, week: String, channel: String, at time: Int64) throws(HistoryError) {
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO report_deliveries (cluster, week, channel, delivered_at) VALUES (?, ?, ?, ?)",
                           arguments: [cluster, week, channel, time])
        }
    }
}

/// One container's requests and the advice a weekly report showed for them.
public struct RecordedAdvice: Sendable, Hashable {
    /// `ContainerID.description`.
    public var container: String
    public var cpuRequestMillicores: Int64?
    public var memoryRequestBytes: Int64?
    public var recommendedCPURequestMillicores: Int64?
    public var recommendedMemoryRequestBytes: Int64?
    public var monthlyMicrodollars: Int64
    public var recommendedMonthlyMicrodollars: Int64

    public init(container: String, cpuRequestMillicores: Int64?, memoryRequestBytes: Int64?, recommendedCPURequestMillicores: Int64?,
                recommendedMemoryRequestBytes: Int64?, monthlyMicrodollars: Int64, recommendedMonthlyMicrodollars: Int64) {
        self.container = container
        self.cpuRequestMillicores = cpuRequestMillicores
        self.memoryRequestBytes = memoryRequestBytes
        self.recommendedCPURequestMillicores = recommendedCPURequestMillicores
        self.recommendedMemoryRequestBytes = recommendedMemoryRequestBytes
        self.monthlyMicrodollars = monthlyMicrodollars
        self.recommendedMonthlyMicrodollars = recommendedMonthlyMicrodollars
    }
}

extension HistoryStore {
    /// Replaces the advice recorded for `week` in one transaction (a report made again records it again).
    public func recordReportAdvice(cluster: String, week: String, _ rows: [RecordedAdvice]) throws(HistoryError) {
        try write { db in
            try db.execute(sql: "DELETE FROM report_advice WHERE cluster = ? AND week = ?", arguments: [cluster, week])
            let statement = try db.makeStatement(sql: """
                INSERT INTO report_advice (cluster, week, container, cpu_request_millicores, memory_request_bytes, recommended_cpu_request_millicores,
                    recommended_memory_request_bytes, monthly_microdollars, recommended_monthly_microdollars) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for row in rows {
                try statement.execute(arguments: [cluster, week, row.container, row.cpuRequestMillicores, row.memoryRequestBytes, row.recommendedCPURequestMillicores,
                                                  row.recommendedMemoryRequestBytes, row.monthlyMicrodollars, row.recommendedMonthlyMicrodollars])
            }
        }
    }

    /// The advice recorded for `week`, by container.
    public func reportAdvice(cluster: String, week: String) throws(HistoryError) -> [RecordedAdvice] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM report_advice WHERE cluster = ? AND week = ? ORDER BY container", arguments: [cluster, week]).map { row in
                RecordedAdvice(container: row["container"], cpuRequestMillicores: row["cpu_request_millicores"], memoryRequestBytes: row["memory_request_bytes"],
                               recommendedCPURequestMillicores: row["recommended_cpu_request_millicores"],
                               recommendedMemoryRequestBytes: row["recommended_memory_request_bytes"], monthlyMicrodollars: row["monthly_microdollars"],
                               recommendedMonthlyMicrodollars: row["recommended_monthly_microdollars"])
            }
        }
    }
}
