@testable import HeadroomCollect
import HeadroomHTTP

extension PrometheusQuerySet {
    /// Just the working set: what the loopback Prometheus servers of these tests serve.
    static let memoryOnly = PrometheusQuerySet(name: "memory", metrics: [
        .init(metric: "container_memory_working_set_bytes", selector: #"container_memory_working_set_bytes{container!=""}"#),
    ])
}

extension PrometheusCollector {
    /// A collector of `PrometheusQuerySet.memoryOnly` from `url`, retrying with millisecond waits.
    static func memoryOnly(_ url: String, attempts: Int) -> PrometheusCollector {
        let retry = RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5), seed: 1)
        return PrometheusCollector(api: PrometheusAPI(baseURL: url, client: CurlHTTPClient(), retry: retry), querySet: .memoryOnly)
    }
}
