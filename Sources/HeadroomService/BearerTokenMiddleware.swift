import Hummingbird

/// Requires `Authorization: Bearer TOKEN`: 401 without credentials, 403 with wrong ones. The
/// token is compared in constant time and never appears in an answer or a log line.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    /// nil: the routes stay open (no token file configured).
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            return Answer.text(.unauthorized, "this endpoint needs Authorization: Bearer <token>\n", headers: [.wwwAuthenticate: "Bearer"])
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.utf8.count)), Array(token.utf8)) else {
            return Answer.text(.forbidden, "the bearer token is not the service's\n")
        }
        return try await next(request, context)
    }

    /// Equal bytes, in a time that depends only on the lengths.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: lhs.count ^ rhs.count)
        for index in 0..<max(lhs.count, rhs.count) {
            difference |= (index < lhs.count ? lhs[index] : 0) ^ (index < rhs.count ? rhs[index] : 0)
        }
        return difference == 0
    }
}
