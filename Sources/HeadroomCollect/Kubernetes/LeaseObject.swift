import Foundation
import HeadroomHTTP

/// A `coordination.k8s.io/v1` Lease: the object Kubernetes itself uses for leader election
/// (kube-controller-manager, the scheduler, client-go's `leaderelection`). Several Headroom
/// replicas share work through Leases, so coordination needs nothing beyond the API server.
public struct LeaseObject: Codable, Sendable, Equatable {
    public struct Metadata: Codable, Sendable, Equatable {
        public var name: String
        public var namespace: String?
        /// The version the API server stamps on every write; a replace carrying an older one is
        /// refused with 409 Conflict (optimistic concurrency).
        public var resourceVersion: String?
        public var labels: [String: String]?

        public init(name: String, namespace: String? = nil, resourceVersion: String? = nil, labels: [String: String]? = nil) {
            self.name = name
            self.namespace = namespace
            self.resourceVersion = resourceVersion
            self.labels = labels
        }
    }

    public struct Spec: Codable, Sendable, Equatable {
        /// Who holds the lease; empty or absent when nobody does.
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int?
        public var acquireTime: MicroTime?
        public var renewTime: MicroTime?
        /// How many times the lease changed hands.
        public var leaseTransitions: Int?

        public init(holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: MicroTime? = nil,
                    renewTime: MicroTime? = nil, leaseTransitions: Int? = nil) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }

        /// The holder, nil when the lease is free (released or never held).
        public var holder: String? { holderIdentity.flatMap { $0.isEmpty ? nil : $0 } }
    }

    public var apiVersion = "coordination.k8s.io/v1"
    public var kind = "Lease"
    public var metadata: Metadata
    public var spec: Spec

    public init(metadata: Metadata, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec }

    /// The items of a list come without `apiVersion` and `kind`, and a Lease may have no spec yet.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? "coordination.k8s.io/v1"
        kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? "Lease"
        metadata = try container.decode(Metadata.self, forKey: .metadata)
        spec = try container.decodeIfPresent(Spec.self, forKey: .spec) ?? Spec()
    }
}

/// Kubernetes' `MicroTime`: RFC 3339 in UTC with six fractional digits
/// (`2026-12-07T07:30:50.123456Z`), held as microseconds since the epoch.
public struct MicroTime: Codable, Sendable, Hashable, Comparable {
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }
    public init(milliseconds: Int64) { microseconds = milliseconds * 1000 }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool { lhs.microseconds < rhs.microseconds }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Self.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not an RFC 3339 time"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// `2026-12-07T07:30:50.123456Z`.
    public var text: String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : -((-microseconds + 999_999) / 1_000_000)
        let fraction = microseconds - seconds * 1_000_000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let whole = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    /// Parses RFC 3339 with or without a fraction (up to nanoseconds, truncated to
    /// microseconds) and with `Z` or a numeric offset.
    public static func parse(_ text: String) -> MicroTime? {
        var whole = text
        var micros: Int64 = 0
        if let dot = text.firstIndex(of: ".") {
            let afterDot = text[text.index(after: dot)...]
            let digits = afterDot.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9 else { return nil }
            micros = Int64(String(digits.prefix(6)).padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
            whole = String(text[..<dot]) + String(afterDot.dropFirst(digits.count))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: whole) else { return nil }
        return MicroTime(microseconds: Int64(date.timeIntervalSince1970.rounded()) * 1_000_000 + micros)
    }
}

/// The outcome of a Lease write: stored (with the version the server gave it), or refused
/// because someone else wrote first.
public enum LeaseWrite: Sendable, Equatable {
    case stored(LeaseObject)
    case conflict
}

extension KubernetesAPI {
    /// `/apis/coordination.k8s.io/v1/namespaces/NS/leases[/NAME]`.
    public static func leasePath(namespace: String, name: String? = nil) -> String {
        "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases" + (name.map { "/\($0)" } ?? "")
    }

    /// Every Lease of `namespace` (one GET, paginated like any list).
    public func leases(namespace: String) async throws -> [LeaseObject] {
        try await listRequired(Self.leasePath(namespace: namespace), as: LeaseObject.self)
    }

    /// Creates `lease`; `.conflict` when one of that name exists already (409 AlreadyExists).
    public func createLease(_ lease: LeaseObject) async throws -> LeaseWrite {
        let namespace = lease.metadata.namespace ?? connection.namespace ?? "default"
        return try await writeLease(.post, path: Self.leasePath(namespace: namespace), lease)
    }

    /// Replaces `lease` if its `resourceVersion` is still the server's; `.conflict` otherwise.
    public func replaceLease(_ lease: LeaseObject) async throws -> LeaseWrite {
        let namespace = lease.metadata.namespace ?? connection.namespace ?? "default"
        return try await writeLease(.put, path: Self.leasePath(namespace: namespace, name: lease.metadata.name), lease)
    }

    private func writeLease(_ method: HTTPRequest.Method, path: String, _ lease: LeaseObject) async throws -> LeaseWrite {
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(method: method, url: connection.server + path,
                                                         headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                                                         body: try JSONEncoder().encode(lease)))
        } catch let error as HTTPClientError {
            throw KubernetesError("Kubernetes API \(error)")
        }
        switch response.status {
        case 200...299:
            do {
                return .stored(try JSONDecoder().decode(LeaseObject.self, from: response.body))
            } catch {
                throw KubernetesError("\(method.rawValue) \(path): the answer is not a Lease (\(error))")
            }
        case 409:
            return .conflict
        case 403:
            throw KubernetesError("\(method.rawValue) \(path): 403 Forbidden\(Self.detail(response)); the service account needs get, list, create and update on leases.coordination.k8s.io in this namespace")
        default:
            throw KubernetesError("\(method.rawValue) \(path): \(response.status)\(Self.detail(response))")
        }
    }
}
