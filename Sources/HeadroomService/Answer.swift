import Foundation
import Hummingbird
import NIOCore

/// Builds the service's responses: JSON documents with their validators, and one-line texts.
enum Answer {
    static func text(_ status: HTTPResponse.Status, _ body: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A JSON document with an ETag from its bytes, `lastModified` and `Age` (seconds since the
    /// cycle that published it: a document served on after failed cycles shows how old it is);
    /// 304 without a body when the request's If-None-Match already names it.
    static func json(_ data: Data, etag: String? = nil, lastModified: String, ageSeconds: Int64, request: Request) -> Response {
        let tag = etag ?? PublishedAssessment.etag(of: data)
        var fields: HTTPFields = [.eTag: tag, .lastModified: lastModified, .age: String(max(0, ageSeconds)), .cacheControl: "no-cache"]
        if let match = request.headers[.ifNoneMatch], matches(match, tag) {
            return Response(status: .notModified, headers: fields)
        }
        fields[.contentType] = "application/json"
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// If-None-Match: `*`, or a list of tags (weak ones compared weakly, as RFC 9110 says for it).
    static func matches(_ header: String, _ tag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
        }
    }
}
