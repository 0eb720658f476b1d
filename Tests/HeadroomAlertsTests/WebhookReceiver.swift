import Foundation
import HeadroomAlerts
import HeadroomTesting
import Synchronization

/// A loopback webhook receiver as a real one would be: it checks each body's HMAC signature,
/// answers the statuses it is scripted to (then 200), and deduplicates by idempotency key.
final class WebhookReceiver: Sendable {
    let server: LoopbackHTTPServer
    private let state: State

    /// The statuses still to answer and the requests answered 200.
    private final class State: Sendable {
        let script: Mutex<[Int]>
        let taken = Mutex<[LoopbackHTTPServer.Request]>([])
        init(_ statuses: [Int]) { script = Mutex(statuses) }
    }

    init(secret: String, port: UInt16 = 0, answering statuses: [Int] = []) throws {
        let state = State(statuses)
        self.state = state
        server = try LoopbackHTTPServer(port: port) { request in
            let expected = SinkMessages.signature([UInt8](request.body), secret: Array(secret.utf8))
            guard request.headers["x-headroom-signature"] == expected else { return .json(#"{"error":"bad signature"}"#, status: 401) }
            let status = state.script.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
            if status == 200 { state.taken.withLock { $0.append(request) } }
            return .json("{}", status: status)
        }
    }

    var url: String { server.url + "/hook" }

    /// Every request that arrived, accepted or not.
    var received: [LoopbackHTTPServer.Request] { server.requests }

    /// Requests answered 200, duplicates included.
    var accepted: [LoopbackHTTPServer.Request] { state.taken.withLock { $0 } }

    /// The documents of the distinct notifications accepted, first arrival of each key.
    func delivered() throws -> [[String: Any]] {
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
