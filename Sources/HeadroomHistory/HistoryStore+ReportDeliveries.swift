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
