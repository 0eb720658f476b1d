import Foundation
import Synchronization

/// The part of the Kubernetes API that Lease-based coordination uses, on loopback, with the API
/// server's semantics (the API cannot run here): `coordination.k8s.io/v1` Leases that can be
/// listed, read, created (409 AlreadyExists when the name is taken) and replaced (409 Conflict
/// when the body's `metadata.resourceVersion` is not the stored one; without one the replace is
/// unconditional, as the API allows for Leases). Every accepted write gets the next
/// resourceVersion of one cluster-wide counter, like etcd's revision. Writes are recorded.
public final class LoopbackLeaseAPI: Sendable {
    /// An accepted write: `POST` or `PUT`, the Lease's name and the holder it wrote.
    public struct Write: Sendable, Equatable {
        public var method: String
        public var name: String
        public var holder: String
    }

    public let server: LoopbackHTTPServer
    private let state: State

    public init() throws {
        let state = State()
        self.state = state
        server = try LoopbackHTTPServer { state.answer($0) }
    }

    deinit { server.stop() }

    public var url: String { server.url }

    /// Accepted writes, in order.
    public var writes: [Write] { state.writes }

    /// The holder of every Lease in `namespace`, by name ("" for a released one).
    public func holders(namespace: String) -> [String: String] {
        state.holders(namespace: namespace)
    }

    /// The next `count` writes are refused with `status` (500, 503, 403…) and a `Status` body.
    public func refuseWrites(_ count: Int, status: Int) {
        state.refuse(count, status: status)
    }

    final class State: Sendable {
        private struct Stored {
            var leases: [String: [String: Any]] = [:]
            var version = 100
            var writes: [Write] = []
            var refusals: (count: Int, status: Int) = (0, 0)
        }

        private let stored = Mutex(Stored())

        var writes: [Write] { stored.withLock { $0.writes } }

        func holders(namespace: String) -> [String: String] {
            stored.withLock { stored in
                var holders: [String: String] = [:]
                for (key, lease) in stored.leases where key.hasPrefix(namespace + "/") {
                    holders[String(key.dropFirst(namespace.count + 1))] = ((lease["spec"] as? [String: Any])?["holderIdentity"] as? String) ?? ""
                }
                return holders
            }
        }

        func refuse(_ count: Int, status: Int) {
            stored.withLock { $0.refusals = (count, status) }
        }

        func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
            // /apis/coordination.k8s.io/v1/namespaces/NS/leases[/NAME]
            let parts = request.path.split(separator: "/").map(String.init)
            guard parts.count >= 6, parts[0] == "apis", parts[1] == "coordination.k8s.io", parts[2] == "v1", parts[3] == "namespaces",
                  parts[5] == "leases", parts.count <= 7 else {
                return status(404, reason: "NotFound", message: "the server could not find the requested resource")
            }
            let namespace = parts[4]
            let name = parts.count == 7 ? parts[6] : nil
            return stored.withLock { stored -> LoopbackHTTPServer.Response in
                switch (request.method, name) {
                case ("GET", nil):
                    let items = stored.leases.filter { $0.key.hasPrefix(namespace + "/") }.sorted { $0.key < $1.key }
                        .map { $0.value.filter { $0.key != "apiVersion" && $0.key != "kind" } }   // as the API lists them
                    return json(["kind": "LeaseList", "apiVersion": "coordination.k8s.io/v1",
                                 "metadata": ["resourceVersion": String(stored.version), "continue": ""], "items": items])
                case ("GET", let name?):
                    guard let lease = stored.leases["\(namespace)/\(name)"] else { return notFound(name) }
                    return json(lease)
                case ("POST", nil), ("PUT", _):
                    if stored.refusals.count > 0 {
                        stored.refusals.count -= 1
                        return status(stored.refusals.status, reason: "InternalError", message: "refused by the test")
                    }
                    guard var lease = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any],
                          lease["apiVersion"] as? String == "coordination.k8s.io/v1", lease["kind"] as? String == "Lease",
                          var metadata = lease["metadata"] as? [String: Any], let leaseName = metadata["name"] as? String, !leaseName.isEmpty else {
                        return status(400, reason: "BadRequest", message: "the body is not a coordination.k8s.io/v1 Lease")
                    }
                    let spec = lease["spec"] as? [String: Any] ?? [:]
                    if let duration = spec["leaseDurationSeconds"], (duration as? Int).map({ $0 <= 0 }) ?? true {
                        return status(422, reason: "Invalid", message: "Lease.coordination.k8s.io \"\(leaseName)\" is invalid: spec.leaseDurationSeconds: Invalid value: must be greater than 0")
                    }
                    let key = "\(namespace)/\(leaseName)"
                    if request.method == "POST" {
                        guard stored.leases[key] == nil else {
                            return status(409, reason: "AlreadyExists", message: "leases.coordination.k8s.io \"\(leaseName)\" already exists")
                        }
                    } else {
                        guard leaseName == name else { return status(400, reason: "BadRequest", message: "the name of the object does not match the name on the URL") }
                        guard let current = stored.leases[key] else { return notFound(leaseName) }
                        let currentVersion = (current["metadata"] as? [String: Any])?["resourceVersion"] as? String
                        if let sent = metadata["resourceVersion"] as? String, sent != currentVersion {
                            return status(409, reason: "Conflict", message: "Operation cannot be fulfilled on leases.coordination.k8s.io \"\(leaseName)\": the object has been modified; please apply your changes to the latest version and try again")
                        }
                    }
                    stored.version += 1
                    metadata["resourceVersion"] = String(stored.version)
                    metadata["namespace"] = namespace
                    lease["metadata"] = metadata
                    stored.leases[key] = lease
                    stored.writes.append(Write(method: request.method, name: leaseName, holder: spec["holderIdentity"] as? String ?? ""))
                    return json(lease, status: request.method == "POST" ? 201 : 200)
                default:
                    return status(405, reason: "MethodNotAllowed", message: "\(request.method) is not supported here")
                }
            }
        }

        private func json(_ object: [String: Any], status: Int = 200) -> LoopbackHTTPServer.Response {
            let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return LoopbackHTTPServer.Response(status: status, headers: [("Content-Type", "application/json")], body: body)
        }

        private func notFound(_ name: String) -> LoopbackHTTPServer.Response {
            status(404, reason: "NotFound", message: "leases.coordination.k8s.io \"\(name)\" not found")
        }

        private func status(_ code: Int, reason: String, message: String) -> LoopbackHTTPServer.Response {
            json(["kind": "Status", "apiVersion": "v1", "metadata": [String: Any](), "status": "Failure", "message": message, "reason": reason, "code": code],
                 status: code)
        }
    }
}
