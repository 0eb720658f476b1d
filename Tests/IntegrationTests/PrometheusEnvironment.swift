import Foundation
import HeadroomCollect
import HeadroomHTTP
import HeadroomTesting
import Testing

/// The real Prometheus that `scripts/with-prometheus` starts (as `make test` does), holding the
/// demo cluster's history backfilled from `fixture`.
struct PrometheusEnvironment {
    let url: String
    let fixture: String
    let start: Int64
    let end: Int64

    /// Reads the environment; records a failure (not a skip) when the tests run without it.
    static func current() throws -> PrometheusEnvironment {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["HEADROOM_PROMETHEUS_URL"], let fixture = environment["HEADROOM_PROMETHEUS_FIXTURE"],
              let range = environment["HEADROOM_PROMETHEUS_RANGE"]?.split(separator: " ").compactMap({ Int64($0) }), range.count == 2
        else {
            throw MissingPrometheus()
        }
        return PrometheusEnvironment(url: url, fixture: fixture, start: range[0], end: range[1])
    }

    func api(seed: UInt64 = 1) -> PrometheusAPI {
        PrometheusAPI(baseURL: url, client: CurlHTTPClient(), retry: RetryPolicy(seed: seed))
    }
}

/// The integration tests were started without `scripts/with-prometheus`.
struct MissingPrometheus: Error, CustomStringConvertible {
    var description: String { "no Prometheus: run the tests with 'make test' or 'scripts/with-prometheus swift test'" }
}
