import Foundation
import HeadroomCore
import HeadroomEngine

/// One cycle's Assessment as the service answers with it: encoded once, exactly as
/// `headroom assess -o json` prints it (one schema for both), with the validators HTTP caches use.
public struct PublishedAssessment: Sendable {
    public let assessment: Assessment
    /// Which good cycle produced it, from 1.
    public let cycle: Int
    /// Unix seconds at which that cycle published it (answers carry their age from it).
    public let publishedAt: Int64
    /// The whole document.
    public let json: Data
    /// A strong validator of the document: quoted, from a digest of its bytes.
    public let etag: String
    /// `metadata.generatedAt` as an HTTP date (IMF-fixdate).
    public let lastModified: String
    /// Its Prometheus series (`AssessmentMetrics`), rendered once for every scrape of `/metrics`.
    public let metrics: [UInt8]
    /// Filtered answers already encoded from it (`/v1/recommendations`, `/v1/workloads/…`).
    let answers = AnswerCache()

    public init(_ assessment: Assessment, cycle: Int, publishedAt: Int64) throws {
        self.assessment = assessment
        self.cycle = cycle
        self.publishedAt = publishedAt
        json = try Self.encode(assessment)
        etag = Self.etag(of: json)
        lastModified = HTTPDate.format(assessment.metadata.generatedAt)
        metrics = AssessmentMetrics.render(assessment)
    }

    /// The encoder of every JSON answer: the one `-o json` uses (sorted keys, pretty-printed).
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    /// A quoted strong ETag: FNV-1a of the bytes (any change of the body changes it).
    static func etag(of data: Data) -> String {
        var hash = FNV1a()
        hash.add(data)
        return "\"\(String(hash.value, radix: 16))\""
    }
}

/// HTTP dates (RFC 9110's IMF-fixdate), from unix seconds.
enum HTTPDate {
    static func format(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
