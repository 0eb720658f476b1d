import Hummingbird
import HummingbirdCore
import NIOCore

/// How large a request the service reads. No endpoint takes a body and every answer is named by
/// a short path, so the limits are small: a client cannot make the service buffer more than a
/// few kilobytes of headers, nor send a body it would have to drain.
public struct RequestLimits: Sendable {
    /// Longest request target (path and query), bytes; longer answers 414.
    public var maxURILength = 4 * 1024
    /// Largest declared body (`Content-Length`); larger answers 413.
    public var maxBodyBytes = 64 * 1024
    /// One header field, all header fields together (bytes), and how many fields; past them the
    /// HTTP decoder refuses the request before it reaches a route.
    public var maxHeaderFieldSize = 8 * 1024
    public var maxHeaderListSize = 32 * 1024
    public var maxHeaderFieldCount = 100
    /// A connection idle this long is closed.
    public var idleTimeout: TimeAmount = .seconds(60)

    public init() {}

    /// The HTTP/1.1 server with these header limits and idle timeout.
    public var server: HTTPServerBuilder {
        .http1(configuration: HTTP1Channel.Configuration(
            idleTimeout: idleTimeout,
            httpDecoderConfiguration: .init(maxHeaderFieldSize: maxHeaderFieldSize, maxHeaderListSize: maxHeaderListSize,
                                            maxHeaderFieldCount: maxHeaderFieldCount)))
    }
}

/// Answers 414 to an over-long request target and 413 to a declared body over the limit, before
/// any route runs.
struct RequestLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: RequestLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.description.utf8.count > limits.maxURILength {
            return Answer.text(.uriTooLong, "request target longer than \(limits.maxURILength) bytes\n")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limits.maxBodyBytes {
            return Answer.text(.contentTooLarge, "request body larger than \(limits.maxBodyBytes) bytes\n")
        }
        return try await next(request, context)
    }
}
