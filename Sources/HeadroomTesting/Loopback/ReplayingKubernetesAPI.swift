import Foundation
import Synchronization

/// The Kubernetes API cannot run here, so tests talk to this loopback server instead: it serves
/// list responses in the API's documented JSON shapes (`{"kind": "…List", "items": […],
/// "metadata": {"continue": …}}`), paginates with `limit`/`continue`, checks the bearer token,
/// and replays the API's failures: 410 Gone for an expired continue token, 403 Forbidden, and
/// 404 for an API the cluster does not serve, each with a `Status` body.
public final class ReplayingKubernetesAPI: Sendable {
    public enum Fault: Sendable {
        /// 403 with the RBAC message the API server sends.
        case forbidden
        /// 404: the resource's API (a CRD, metrics-server) is not installed.
        case absent
        /// The first continue token handed out for this path is answered with 410 Gone.
        case expireFirstContinueToken
    }

    public let server: LoopbackHTTPServer
    private let state: State

    /// - Parameters:
    ///   - lists: request path (`/api/v1/pods`) → the JSON objects of that list.
    ///   - faults: request path → failure to replay.
    ///   - token: the bearer token the server accepts (401 otherwise); nil accepts anything.
    ///   - patchStatuses: PATCH path → the status code to refuse it with (403, 409, 422 with a
    ///     `Status` body); any other PATCH is accepted (200, its body echoed) and recorded.
    public init(lists: [String: [String]], faults: [String: Fault] = [:], token: String? = nil, patchStatuses: [String: Int] = [:]) throws {
        let state = State(lists: lists, faults: faults, token: token, patchStatuses: patchStatuses)
        self.state = state
        server = try LoopbackHTTPServer { state.answer($0) }
    }

    /// The server's accept thread holds it, so it would outlive this object and keep every
    /// recorded request until the process exits, where LeakSanitizer reports the bodies (it
    /// cannot follow Data's tagged storage pointers). Stopping ends that thread.
    deinit { server.stop() }

    public var url: String { server.url }

    /// A kubeconfig in `directory` whose current context reaches this server with a bearer `token`.
    public func kubeconfig(token: String, in directory: TemporaryDirectory) throws -> String {
        try directory.write("config", """
            current-context: test
            clusters: [{name: replay, cluster: {server: "\(url)"}}]
            contexts: [{name: test, context: {cluster: replay, user: robot}}]
            users: [{name: robot, user: {token: \(token)}}]
            """)
    }

    /// Requests received, as `path?query`.
    public var requestTargets: [String] { server.requests.map(\.target) }

    /// PATCH requests received (refused ones too): path and body.
    public var patches: [(path: String, body: Data)] { server.requests.filter { $0.method == "PATCH" }.map { ($0.path, $0.body) } }

    final class State: Sendable {
        let lists: [String: [String]]
        let faults: [String: Fault]
        let token: String?
        let patchStatuses: [String: Int]
        private let expired = Mutex<Set<String>>([])

        init(lists: [String: [String]], faults: [String: Fault], token: String?, patchStatuses: [String: Int]) {
            self.patchStatuses = patchStatuses
            self.lists = lists
            self.faults = faults
            self.token = token
        }

        func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
            if let token, request.headers["authorization"] != "Bearer \(token)" {
                return status(401, reason: "Unauthorized", message: "Unauthorized")
            }
            let path = request.path
            if request.method == "PATCH" {
                switch patchStatuses[path] {
                case 403?: return status(403, reason: "Forbidden", message: "verticalpodautoscalers.autoscaling.k8s.io is forbidden: cannot patch resource verticalpodautoscalers/status")
                case 409?: return status(409, reason: "Conflict", message: "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again")
                case 422?: return status(422, reason: "Invalid", message: "VerticalPodAutoscaler.autoscaling.k8s.io is invalid: status.recommendation: Invalid value")
                case let code?: return status(code, reason: "Failure", message: "refused")
                case nil:
                    guard request.headers["content-type"] == "application/merge-patch+json" else {
                        return status(415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format")
                    }
                    return LoopbackHTTPServer.Response(status: 200, headers: [("Content-Type", "application/json")], body: request.body)
                }
            }
            switch faults[path] {
            case .forbidden:
                let resource = path.split(separator: "/").last.map(String.init) ?? path
                return status(403, reason: "Forbidden", message: #"\#(resource) is forbidden: User \"system:serviceaccount:headroom:headroom\" cannot list resource \"\#(resource)\" at the cluster scope"#)
            case .absent:
                return status(404, reason: "NotFound", message: "the server could not find the requested resource")
            default:
                break
            }
            guard let items = lists[path] else {
                return status(404, reason: "NotFound", message: "the server could not find the requested resource")
            }
            let limit = request.parameter("limit").flatMap(Int.init) ?? items.count
            let token = request.parameter("continue")
            if let token, case .expireFirstContinueToken = faults[path] {
                let first = expired.withLock { $0.insert(path).inserted }
                if first {
                    return status(410, reason: "Expired", message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
                }
            }
            let offset = token.flatMap { Int($0.dropFirst("page-".count)) } ?? 0
            let page = items[min(offset, items.count)..<min(offset + max(1, limit), items.count)]
            let next = offset + page.count < items.count ? #""page-\#(offset + page.count)""# : #""""#
            let body = #"{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"12345","continue":\#(next)},"items":[\#(page.joined(separator: ","))]}"#
            return .json(body)
        }

        private func status(_ code: Int, reason: String, message: String) -> LoopbackHTTPServer.Response {
            .json(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\#(message)","reason":"\#(reason)","code":\#(code)}"#, status: code)
        }
    }
}
