import Foundation
@testable import HeadroomCollect
import HeadroomHTTP
import HeadroomTesting
import Synchronization
import Testing

/// `PrometheusAPI.queryRange(…, each:)` against a loopback server: answers read as they arrive.
@Suite struct PrometheusStreamingTests {
    func api(_ server: LoopbackHTTPServer, attempts: Int = 3) -> PrometheusAPI {
        PrometheusAPI(baseURL: server.url, client: CurlHTTPClient(configuration: .init(timeout: .seconds(5))),
                      retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5), seed: 7))
    }

    /// Collects what `each` receives (it runs on the HTTP client's thread).
    final class Received: Sendable {
        let series = Mutex<[PrometheusSeries]>([])
        func add(_ one: PrometheusSeries) { series.withLock { $0.append(one) } }
        var all: [PrometheusSeries] { series.withLock { $0 } }
    }

    static func answer(series count: Int) -> String {
        let values = (1...12).map { "[\(1_795_392_000 + 300 * $0),\"\(Double($0) / 8)\"]" }.joined(separator: ",")
        let series = (0..<count).map { #"{"metric":{"namespace":"prod","pod":"api-\#($0)","container":"app"},"values":[\#(values)]}"# }
        return #"{"status":"success","data":{"resultType":"matrix","result":[\#(series.joined(separator: ","))]}}"#
    }

    @Test("a 1.6 MB answer arrives series by series, the same series a whole read gives")
    func sameAsWhole() async throws {
        let json = Self.answer(series: 5_000)
        #expect(json.utf8.count > 1_500_000)
        let server = try LoopbackHTTPServer { _ in .json(json) }
        defer { server.stop() }
        let received = Received()
        try await api(server).queryRange("m", start: 0, end: 3_600, step: 300) { received.add($0) }
        let whole = try await api(server).queryRange("m", start: 0, end: 3_600, step: 300)
        #expect(received.all.count == 5_000)
        #expect(received.all == whole)
        #expect(api(server).timer.snapshot.bytes == 0, "a fresh API has counted nothing")
    }

    @Test("bytes received are counted for a streamed answer")
    func countsBytes() async throws {
        let json = Self.answer(series: 10)
        let server = try LoopbackHTTPServer { _ in .json(json) }
        defer { server.stop() }
        let api = api(server)
        try await api.queryRange("m", start: 0, end: 3_600, step: 300) { _ in }
        #expect(api.timer.snapshot.bytes == json.utf8.count && api.timer.snapshot.queries == 1)
    }

    @Test("an answer the streaming reader declines (an escaped label) is read again whole, as JSON reads it")
    func declinedIsReadWhole() async throws {
        let json = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"a\"b"},"values":[[300,"1"]]}]}}"#
        let server = try LoopbackHTTPServer { _ in .json(json) }
        defer { server.stop() }
        let received = Received()
        try await api(server).queryRange("m", start: 0, end: 300, step: 300) { received.add($0) }
        #expect(received.all.map(\.labels) == [["pod": "a\"b"]])
        #expect(server.requests.count == 2)
    }

    @Test("a streamed 422 names the query and Prometheus's reason, and is not retried")
    func errorAnswer() async throws {
        let server = try LoopbackHTTPServer { _ in
            .json(#"{"status":"error","errorType":"execution","error":"query processing would load too many samples"}"#, status: 422)
        }
        defer { server.stop() }
        do {
            try await api(server).queryRange("up", start: 0, end: 300, step: 300) { _ in }
            Issue.record("expected an error")
        } catch let error as PrometheusError {
            #expect(error.isOverload && !error.isTransient)
            #expect(error.description == "\(server.url)/api/v1/query_range query up: HTTP 422, execution: query processing would load too many samples")
        }
        #expect(server.requests.count == 1)
    }

    @Test("an answer cut off mid-transfer is retried, then reported with the query")
    func truncatedTransfer() async throws {
        let json = Self.answer(series: 2_000)
        let server = try LoopbackHTTPServer { _ in .init(status: 200, headers: [("Content-Type", "application/json")], body: Data(json.utf8), fault: .truncateBody(afterBytes: 400_000)) }
        defer { server.stop() }
        let received = Received()
        do {
            try await api(server, attempts: 2).queryRange("m", start: 0, end: 3_600, step: 300) { received.add($0) }
            Issue.record("expected an error")
        } catch let error as PrometheusError {
            #expect(error.isTransient)
            #expect(error.description.hasPrefix("\(server.url)/api/v1/query_range query m: "))
        }
        #expect(server.requests.count == 2)
        // Each attempt handed over the series it completed before the cut: callers overwrite.
        #expect(received.all.count > 0 && received.all.count < 2 * 2_000)
    }
}
