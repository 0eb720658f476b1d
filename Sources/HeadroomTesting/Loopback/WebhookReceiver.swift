import Foundation
import Synchronization

/// A loopback webhook receiver as a real one would be: it checks each body's signature with
/// `verify` (body, `X-Headroom-Signature`), answers the statuses it is scripted to (then 200;
/// a delay holds the answer), and deduplicates by idempotency key.
public final class WebhookReceiver: Sendable {
    public let server: LoopbackHTTPServer
    private let state: State

    /// The statuses still to answer and the requests answered 200.
    private final class State: Sendable {
        let script: Mutex<[Int]>
        let delays: Mutex<[Duration]>
        let taken = Mutex<[LoopbackHTTPServer.Request]>([])
        init(_ statuses: [Int], _ delays: [Duration]) {
            script = Mutex(statuses)
            self.delays = Mutex(delays)
        }
    }

    /// - Parameters: `statuses` answered in turn before 200s; `delays` before the first answers.
    public init(port: UInt16 = 0, answering statuses: [Int] = [], delaying delays: [Duration] = [],
                verify: @escaping @Sendable (_ body: [UInt8], _ signature: String?) -> Bool) throws {
        let state = State(statuses, delays)
        self.state = state
        server = try LoopbackHTTPServer(port: port) { request in
            guard verify([UInt8](request.body), request.headers["x-headroom-signature"]) else { return .json(#"{"error":"bad signature"}"#, status: 401) }
            // Taken, then answered late: a sender that dies meanwhile never hears it went through.
            if let delay = state.delays.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                state.taken.withLock { $0.append(request) }
                return LoopbackHTTPServer.Response(status: 200, body: Data("{}".utf8), fault: .delay(delay))
            }
            let status = state.script.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
            if status == 200 { state.taken.withLock { $0.append(request) } }
            return .json("{}", status: status)
        }
    }

    public var url: String { server.url + "/hook" }

    /// Every request that arrived, accepted or not.
    public var received: [LoopbackHTTPServer.Request] { server.requests }

    /// Requests answered 200, duplicates included.
    public var accepted: [LoopbackHTTPServer.Request] { state.taken.withLock { $0 } }

    /// The documents of the distinct notifications accepted, first arrival of each key.
    public func delivered() throws -> [[String: Any]] {
        var seen: Set<String> = []
        var documents: [[String: Any]] = []
        for request in accepted {
            guard let key = request.headers["idempotency-key"], !seen.contains(key) else { continue }
            let document = try JSONSerialization.jsonObject(with: request.body) as? [String: Any] ?? [:]
            guard document["idempotencyKey"] as? String == key else { continue }
            seen.insert(key)
            documents.append(document)
        }
        return documents
    }
}
