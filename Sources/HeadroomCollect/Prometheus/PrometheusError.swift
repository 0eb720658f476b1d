/// A Prometheus request that failed for good: the query, the endpoint and why.
public struct PrometheusError: Error, Sendable, CustomStringConvertible {
    public let endpoint: String
    /// The PromQL or series matcher, when the request had one.
    public let query: String?
    public let reason: String
    /// Whether another attempt could succeed (5xx, timeouts, truncated answers).
    public let isTransient: Bool

    public init(endpoint: String, query: String?, reason: String, isTransient: Bool) {
        self.endpoint = endpoint
        self.query = query
        self.reason = reason
        self.isTransient = isTransient
    }

    public var description: String {
        if let query { return "\(endpoint) query \(query): \(reason)" }
        return "\(endpoint): \(reason)"
    }
}
