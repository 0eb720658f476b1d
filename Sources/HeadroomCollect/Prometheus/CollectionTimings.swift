import Synchronization

/// Where a collection spends its time, summed over requests (requests overlap, so the sums can
/// exceed the wall time): waiting on HTTP, decoding JSON, parsing and bucketing, storing.
public struct CollectionTimings: Sendable, Codable, Hashable {
    public var httpSeconds = 0.0
    public var decodeSeconds = 0.0
    public var bucketSeconds = 0.0
    public var storeSeconds = 0.0

    public init() {}

    /// Each part's share of the total, in percent.
    public var shares: (http: Double, decode: Double, bucket: Double, store: Double) {
        let total = max(httpSeconds + decodeSeconds + bucketSeconds + storeSeconds, .leastNonzeroMagnitude)
        return (100 * httpSeconds / total, 100 * decodeSeconds / total, 100 * bucketSeconds / total, 100 * storeSeconds / total)
    }
}

/// Accumulates HTTP and decode time and the bytes received across concurrent requests.
final class RequestTimer: Sendable {
    private let totals = Mutex((http: 0.0, decode: 0.0, bytes: 0, queries: 0))

    func add(http: Duration, decode: Duration, bytes: Int) {
        totals.withLock {
            $0.http += http.secondsValue
            $0.decode += decode.secondsValue
            $0.bytes += bytes
        }
    }

    /// One more request (retries are the same request).
    func countQuery() { totals.withLock { $0.queries += 1 } }

    var snapshot: (http: Double, decode: Double, bytes: Int, queries: Int) { totals.withLock { $0 } }
}
