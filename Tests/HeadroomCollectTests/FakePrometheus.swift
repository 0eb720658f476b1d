import Foundation
import HeadroomTesting
import Synchronization

/// A loopback stand-in for Prometheus's API that serves one memory series per pod
/// (`value = 1000 + minute of the day`, one sample a minute) and can be told to fail.
final class FakePrometheus: Sendable {
    enum Failure: Sendable {
        case none
        /// 503 for every sample query at or after this time.
        case unavailable(after: Double)
    }

    let server: LoopbackHTTPServer
    private let state: State

    init(pods: [String] = ["api-6c9f8d7b5-abcde", "api-6c9f8d7b5-fghij"]) throws {
        let state = State(pods: pods)
        self.state = state
        server = try LoopbackHTTPServer { request in state.answer(request) }
    }

    var url: String { server.url }

    func fail(_ mode: Failure) { state.failure.withLock { $0 = mode } }

    static func value(at time: Int64) -> Double { Double(1000 + (time % 86_400) / 60) }
}

extension FakePrometheus {
    final class State: Sendable {
        let pods: [String]
        let failure = Mutex(Failure.none)

        init(pods: [String]) { self.pods = pods }

    func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        switch request.path {
        case "/api/v1/series":
            let sets = pods.map { #"{"__name__":"container_memory_working_set_bytes","namespace":"prod","pod":"\#($0)","container":"app"}"# }
            return .json(#"{"status":"success","data":[\#(sets.joined(separator: ","))]}"#)
        case "/api/v1/query":
            guard let query = request.parameter("query"), let time = request.parameter("time").flatMap(Double.init),
                  let open = query.lastIndex(of: "["), let range = Int64(query[query.index(after: open)...].dropLast(2))
            else { return .json(#"{"status":"error","errorType":"bad_data","error":"unparseable"}"#, status: 400) }
            if case .unavailable(let after) = failure.withLock({ $0 }), time >= after {
                return .json(#"{"status":"error","errorType":"unavailable","error":"overloaded"}"#, status: 503)
            }
            let last = Int64(time.rounded(.down)) / 60 * 60
            let first = Int64(time) - range
            let series = pods.map { pod -> String in
                let values = stride(from: last, to: first, by: -60).reversed().map { "[\($0),\"\(FakePrometheus.value(at: $0))\"]" }
                return #"{"metric":{"__name__":"container_memory_working_set_bytes","namespace":"prod","pod":"\#(pod)","container":"app"},"values":[\#(values.joined(separator: ","))]}"#
            }
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(series.joined(separator: ","))]}}"#)
        default:
            return .json(#"{"status":"error","errorType":"not_found","error":"no such endpoint"}"#, status: 404)
        }
    }
}
}
