import Foundation
@testable import HeadroomCollect
import HeadroomHTTP
import HeadroomTesting
import Testing

@Suite struct SeriesListingCounterTests {
    /// Feeds `text` in pieces of `piece` bytes.
    func count(_ text: String, piece: Int = 7) -> SeriesListingCounter {
        var counter = SeriesListingCounter()
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: piece) {
            bytes[start..<min(start + piece, bytes.count)].withUnsafeBytes { counter.feed($0) }
        }
        return counter
    }

    @Test("counts the label sets of a listing fed in pieces, braces and quotes inside strings included")
    func counts() {
        let listing = #"{"status":"success","data":[{"__name__":"up","job":"a{b"},{"pod":"x\"}{"},{}],"warnings":["w{"]}"#
        for piece in [1, 3, 7, 1000] {
            let counter = count(listing, piece: piece)
            #expect(counter.count == 3 && counter.isComplete && !counter.malformed, "piece \(piece)")
            #expect(String(decoding: counter.skeleton, as: UTF8.self) == #"{"status":"success","data":[],"warnings":["w{"]}"#)
        }
    }

    @Test("an error answer is kept whole as the skeleton")
    func errorAnswer() {
        let answer = #"{"status":"error","errorType":"bad_data","error":"parse error at char 3: [1] unexpected"}"#
        let counter = count(answer)
        #expect(counter.count == 0 && String(decoding: counter.skeleton, as: UTF8.self) == answer)
    }

    @Test("a cut-off listing is incomplete, and an element that is not an object is malformed")
    func unreadable() {
        #expect(!count(#"{"status":"success","data":[{"pod":"a"},{"po"#).isComplete)
        #expect(count(#"{"status":"success","data":[{"pod":"a"},"b"]}"#).malformed)
        #expect(count(#"{"status":"success","data":[1]}"#).malformed)
        #expect(count(#"{"status":"success","data":[[]]}"#).malformed)
        #expect(count(#"{"status":"success","data":[{"pod":"a"}]]}"#).malformed)
        // An envelope bigger than the limit, a warning of 2 MiB, is not kept.
        let huge = #"{"status":"success","warnings":[""# + String(repeating: "w", count: 2 << 20) + #""],"data":[]}"#
        #expect(count(huge, piece: 65_536).malformed)
    }

    @Test("the API counts a listing without keeping it, and reports error answers and cut-off bodies")
    func throughTheAPI() async throws {
        let sets = (0..<250).map { #"{"__name__":"m","pod":"p-\#($0)"}"# }.joined(separator: ",")
        let server = try LoopbackHTTPServer { request in
            switch request.parameter("match[]") {
            case "good": .json(#"{"status":"success","data":[\#(sets)]}"#)
            case "cut": .init(status: 200, body: Data(#"{"status":"success","data":[{"pod":"a"},"#.utf8))
            default: .json(#"{"status":"error","errorType":"bad_data","error":"invalid matcher"}"#, status: 400)
            }
        }
        defer { server.stop() }
        let api = PrometheusAPI(baseURL: server.url, client: CurlHTTPClient(), retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), seed: 1))
        #expect(try await api.seriesCount(match: "good", start: 0, end: 10) == 250)
        do {
            _ = try await api.seriesCount(match: "bad", start: 0, end: 10)
            Issue.record("an error answer was counted")
        } catch let error as PrometheusError {
            #expect(error.description == "\(server.url)/api/v1/series query bad: HTTP 400, bad_data: invalid matcher")
        }
        do {
            _ = try await api.seriesCount(match: "cut", start: 0, end: 10)
            Issue.record("a cut-off listing was counted")
        } catch let error as PrometheusError {
            #expect(error.isTransient && error.description.contains("unreadable series listing"), "\(error)")
        }
    }
}
