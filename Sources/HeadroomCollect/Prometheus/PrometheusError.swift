/// A Prometheus request that failed for good: the query, the endpoint and why.
public struct PrometheusError: Error, Sendable, CustomStringConvertible {
    public let endpoint: String
    /// The PromQL or series matcher, when the request had one.
    public let query: String?
    public let reason: String
    /// Whether another attempt could succeed (5xx, timeouts, truncated answers).
    public let isTransient: Bool
    /// The HTTP status of Prometheus's answer, when there was one.
    public let status: Int?

    public init(endpoint: String, query: String?, reason: String, isTransient: Bool, status: Int? = nil) {
        self.endpoint = endpoint
        self.query = query
        self.reason = reason
        self.isTransient = isTransient
        self.status = status
    }

    /// Prometheus refused the query as too big for it ("query processing would load too many
    /// samples", 422) or gave up on it (503, a timeout or too many queries): the same data asked
    /// for in smaller pieces can succeed.
    public var isOverload: Bool {
        status == 503 || (status == 422 && (reason.contains("too many samples") || reason.contains("timeout") || reason.contains("timed out")))
    }

    public var description: String {
        if let query { return "\(endpoint) query \(query): \(reason)" }
        return "\(endpoint): \(reason)"
    }
}
