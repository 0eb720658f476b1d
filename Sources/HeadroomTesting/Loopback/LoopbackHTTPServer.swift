import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 and a free port, for tests: it replays canned responses
/// (Prometheus and Kubernetes API shapes) and injects faults (delays, 5xx, truncated bodies,
/// dropped connections). One request per connection (`Connection: close`).
public final class LoopbackHTTPServer: Sendable {
    /// A request as the server received it.
    public struct Request: Sendable {
        public var method: String
        /// Path with query string, as sent.
        public var target: String
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: Data

        public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

        /// Query-string and form-body parameters, decoded (repeated names keep every value).
        public var parameters: [(String, String)] {
            var pairs: [(String, String)] = []
            let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            let form = headers["content-type"]?.hasPrefix("application/x-www-form-urlencoded") == true
                ? String(decoding: body, as: UTF8.self) : ""
            for part in (query + "&" + form).split(separator: "&") where !part.isEmpty {
                let pieces = part.split(separator: "=", maxSplits: 1).map {
                    String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                }
                pairs.append((pieces[0], pieces.count > 1 ? pieces[1] : ""))
            }
            return pairs
        }

        public func parameter(_ name: String) -> String? { parameters.first { $0.0 == name }?.1 }
    }

    /// What to answer, and how badly.
    public struct Response: Sendable {
        public enum Fault: Sendable {
            /// Wait before answering (drives client timeouts).
            case delay(Duration)
            /// Announce the full Content-Length but close after this many body bytes.
            case truncateBody(afterBytes: Int)
            /// Close the connection without answering.
            case dropConnection
        }

        public var status: Int
        public var headers: [(String, String)]
        public var body: Data
        public var fault: Fault?

        public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data(), fault: Fault? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.fault = fault
        }

        public static func json(_ text: String, status: Int = 200) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")], body: Data(text.utf8))
        }
    }

    public typealias Handler = @Sendable (Request) -> Response

    public let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let received = Mutex<[Request]>([])
    private let running = Atomic<Bool>(true)

    /// Starts listening on 127.0.0.1 (never another address) and serving on a background thread;
    /// on `port`, or a free one when it is 0 (a receiver that comes back where it was).
    public init(port requested: UInt16 = 0, handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requested.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { received.withLock { $0 } }

    public func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while running.load(ordering: .relaxed) {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        guard let request = readRequest(connection) else { return }
        received.withLock { $0.append(request) }
        let response = handler(request)
        switch response.fault {
        case .delay(let duration):
            // In short naps, so that stop() ends a long delay (and the request it holds) at once.
            let deadline = Date().addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
            while running.load(ordering: .relaxed), Date() < deadline { Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow))) }
            guard running.load(ordering: .relaxed) else { return }
        case .dropConnection:
            return
        default:
            break
        }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        var payload = Data(head.utf8)
        if case .truncateBody(let bytes) = response.fault {
            payload.append(response.body.prefix(bytes))
        } else {
            payload.append(response.body)
        }
        payload.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let count = send(connection, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 { return }
                sent += count
            }
        }
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            data.append(buffer, count: count)
            headerEnd = data.range(of: Data("\r\n\r\n".utf8))
        }
        let head = String(decoding: data[..<headerEnd!.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Data(data[headerEnd!.upperBound...])
        while body.count < length {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { break }
            body.append(buffer, count: count)
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 410: "Gone"
        case 422: "Unprocessable Entity"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
