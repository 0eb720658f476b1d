import Foundation

/// An HTTP request as Headroom's sources and sinks send it.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE" }

    public var method: Method
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Overrides the client's timeout for this request.
    public var timeout: Duration?

    public init(method: Method = .get, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil, timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// A form-encoded POST (how PromQL is best sent: no `+`-as-space ambiguity, no URL length limit).
    public static func form(url: String, fields: [(String, String)], headers: [(name: String, value: String)] = []) -> HTTPRequest {
        let body = fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        return HTTPRequest(method: .post, url: url, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")],
                           body: Data(body.utf8))
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986), so `+` travels as `%2B`.
    public static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A received response. Header names are lower-cased.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// TLS settings for a client.
public struct TLSConfiguration: Sendable, Hashable {
    /// PEM file of certificate authorities to trust instead of the system's.
    public var caFile: String?
    /// PEM client certificate and key, presented when the server asks.
    public var clientCertificateFile: String?
    public var clientKeyFile: String?
    /// Skip server certificate verification. Only when the user asks for it.
    public var insecureSkipVerify: Bool

    public init(caFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// How a client authenticates.
public enum HTTPAuthentication: Sendable, Hashable {
    case bearer(token: String)
    case basic(user: String, password: String)
}

/// Settings shared by every request of a client.
public struct HTTPClientConfiguration: Sendable {
    public var timeout: Duration
    public var connectTimeout: Duration
    public var tls: TLSConfiguration
    public var authentication: HTTPAuthentication?
    /// Sent with every request (tenant headers such as `X-Scope-OrgID`, say).
    public var headers: [(name: String, value: String)]
    /// Ask for gzip-compressed answers: fewer bytes on the wire, but the server spends CPU on
    /// compressing (Prometheus: twice the CPU of a downsampled query).
    public var acceptCompressed: Bool

    public init(timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10), tls: TLSConfiguration = TLSConfiguration(),
                authentication: HTTPAuthentication? = nil, headers: [(name: String, value: String)] = [], acceptCompressed: Bool = true) {
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.authentication = authentication
        self.headers = headers
        self.acceptCompressed = acceptCompressed
    }
}

/// Why a request got no response. `kind` says whether retrying can help.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case timeout, connectionFailed, tls, invalidRequest, transfer
    }

    public let kind: Kind
    public let url: String
    public let message: String

    public init(kind: Kind, url: String, message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }

    /// Timeouts, refused connections and broken transfers may pass; TLS and bad requests will not.
    public var isTransient: Bool { kind == .timeout || kind == .connectionFailed || kind == .transfer }

    public var description: String { "\(url): \(message)" }
}

/// Receives a response body piece by piece as it arrives, with the response's status. Throwing
/// aborts the transfer, and `send` rethrows the error.
public typealias HTTPBodyHandler = @Sendable (_ status: Int, _ bytes: UnsafeRawBufferPointer) throws -> Void

/// Sends HTTP requests. `CurlHTTPClient` is the real one.
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Sends `request` and hands the body to `receive` as it arrives instead of keeping it, so
    /// a large answer is never held whole; the response returned has an empty body.
    func send(_ request: HTTPRequest, receive: @escaping HTTPBodyHandler) async throws -> HTTPResponse
}

extension HTTPClient {
    /// For clients that cannot stream: the whole body, in one piece.
    public func send(_ request: HTTPRequest, receive: @escaping HTTPBodyHandler) async throws -> HTTPResponse {
        var response = try await send(request)
        try response.body.withUnsafeBytes { try receive(response.status, $0) }
        response.body = Data()
        return response
    }
}
