/// How long 5-minute buckets are kept before they are rolled up to hourly ones.
public struct RetentionPolicy: Hashable, Sendable, Codable {
    /// Default: 35 days, enough for four full weeks of weekly seasonality plus a margin.
    public static let defaultFiveMinuteRetentionSeconds: Int64 = 35 * 86_400

    public var fiveMinuteRetentionSeconds: Int64

    public init(fiveMinuteRetentionSeconds: Int64 = RetentionPolicy.defaultFiveMinuteRetentionSeconds) {
        self.fiveMinuteRetentionSeconds = fiveMinuteRetentionSeconds
    }
}

/// What a retention pass did.
public struct RetentionSummary: Hashable, Sendable, Codable {
    /// 5-minute buckets before this time (unix seconds, on an hour) are now hourly.
    public var horizon: Int64
    public var fiveMinuteRowsRolledUp: Int
    public var hourlyRowsWritten: Int

    public init(horizon: Int64, fiveMinuteRowsRolledUp: Int, hourlyRowsWritten: Int) {
        self.horizon = horizon
        self.fiveMinuteRowsRolledUp = fiveMinuteRowsRolledUp
        self.hourlyRowsWritten = hourlyRowsWritten
    }
}
