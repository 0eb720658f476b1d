/// Input that cannot become a time series, with the reason and the offending time.
public struct SeriesError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    /// The sample time the problem was found at, when there is one.
    public let time: Double?

    public init(reason: String, time: Double? = nil) {
        self.reason = reason
        self.time = time
    }

    public var description: String {
        if let time { return "\(reason) at t=\(formatTime(time))" }
        return reason
    }
}

private func formatTime(_ time: Double) -> String {
    time == time.rounded() && abs(time) < 1e15 ? String(Int64(time)) : String(time)
}
