import Foundation
import Synchronization
import HeadroomCore
import HeadroomHTTP

/// Prometheus's HTTP API v1 (also Thanos, Mimir, VictoriaMetrics): queries go as form POSTs (or
/// GETs with every parameter percent-encoded, `+` as `%2B`, for proxies that allow only GET),
/// answers are decoded, transient failures are retried with backoff.
public struct PrometheusAPI: Sendable {
    public let baseURL: String
    let client: any HTTPClient
    let retry: RetryPolicy
    let timer = RequestTimer()
    /// Send queries as GET instead of form POST.
    public let useGET: Bool
    /// Spaces out requests under `--max-query-rate`; nil sends them as fast as they come.
    let pacer: QueryPacer?

    public init(baseURL: String, client: any HTTPClient, retry: RetryPolicy, useGET: Bool = false, maxQueriesPerSecond: Double? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
        self.retry = retry
        self.useGET = useGET
        pacer = maxQueriesPerSecond.flatMap { $0 > 0 ? QueryPacer(perSecond: $0) : nil }
    }

    /// Raw samples of every series matching `selector` in `(time − range, time]`: an instant
    /// query of a range selector, which returns the stored samples as they are.
    public func rawSamples(selector: String, rangeSeconds: Int64, at time: Double) async throws -> [PrometheusSeries] {
        let query = "\(selector)[\(rangeSeconds)s]"
        let data: PrometheusQueryData = try await call("/api/v1/query", query: query, fields: [("query", query), ("time", format(time))])
        return data.series
    }

    /// An instant query: the expression evaluated at `time`.
    public func query(_ query: String, at time: Double) async throws -> [PrometheusSeries] {
        let data: PrometheusQueryData = try await call("/api/v1/query", query: query, fields: [("query", query), ("time", format(time))])
        return data.series
    }

    /// `query_range`: the expression evaluated every `step` seconds in `[start, end]`.
    public func queryRange(_ query: String, start: Double, end: Double, step: Int64) async throws -> [PrometheusSeries] {
        let data: PrometheusQueryData = try await call("/api/v1/query_range", query: query, fields: [
            ("query", query), ("start", format(start)), ("end", format(end)), ("step", "\(step)"),
        ])
        return data.series
    }

    /// `query_range` read as it arrives: each series goes to `each` as soon as it is complete,
    /// so neither the answer's body nor its decoded matrix is held whole
    /// (`PrometheusAnswerStream`). A retried request, or an answer the streaming reader declines
    /// and that is then read whole, hands series over again: `each` must overwrite, not add.
    public func queryRange(_ query: String, start: Double, end: Double, step: Int64,
                           each: @escaping @Sendable (PrometheusSeries) throws -> Void) async throws {
        let url = baseURL + "/api/v1/query_range"
        let fields = [("query", query), ("start", format(start)), ("end", format(end)), ("step", "\(step)")]
        timer.countQuery()
        try await retry.run(isTransient: Self.isTransient) {
            let request = request(url, fields: fields)
            if let pacer { try await Task.sleep(until: pacer.reserve(now: .now), clock: .continuous) }
            let sent = ContinuousClock.now
            let receiver = StreamingAnswer()
            let response = try await send(request, url: url, query: query) { status, bytes in try receiver.feed(status: status, bytes, emit: each) }
            let (resultType, skeleton, bytes, decoding) = try receiver.finish(emit: each)
            timer.add(http: ContinuousClock.now - sent - decoding, decode: decoding, bytes: bytes)
            if resultType != nil, (200..<300).contains(response.status) { return }
            if (200..<300).contains(response.status) {
                // Declined by the streaming reader: read whole, by the fast parser or JSONDecoder.
                let whole = try await send(request, url: url, query: query)
                let data: PrometheusQueryData = try decode(whole, url: url, query: query)
                for series in data.series { try each(series) }
                return
            }
            // An error answer is all skeleton: its message, decoded as ever.
            let data: PrometheusQueryData = try decode(HTTPResponse(status: response.status, headers: response.headers, body: Data(skeleton)),
                                                       url: url, query: query)
            for series in data.series { try each(series) }
        }
    }

    /// Label sets of the series matching `match` with samples in `[start, end]`.
    public func series(match: String, start: Double, end: Double) async throws -> [[String: String]] {
        try await call("/api/v1/series", query: match, fields: [("match[]", match), ("start", format(start)), ("end", format(end))])
    }

    /// How many series match `match` with samples in `[start, end]`, counted as the listing
    /// streams in (`SeriesListingCounter`): no label set is kept.
    public func seriesCount(match: String, start: Double, end: Double) async throws -> Int {
        let url = baseURL + "/api/v1/series"
        let fields = [("match[]", match), ("start", format(start)), ("end", format(end))]
        timer.countQuery()
        return try await retry.run(isTransient: Self.isTransient) {
            let request = request(url, fields: fields)
            if let pacer { try await Task.sleep(until: pacer.reserve(now: .now), clock: .continuous) }
            let sent = ContinuousClock.now
            let counter = Mutex(SeriesListingCounter())
            let response = try await send(request, url: url, query: match) { _, bytes in counter.withLock { $0.feed(bytes) } }
            let (count, skeleton, bytes, readable) = counter.withLock { ($0.count, $0.skeleton, $0.bytesSeen, $0.isComplete && !$0.malformed) }
            timer.add(http: ContinuousClock.now - sent, decode: .zero, bytes: bytes)
            // Cut off or not a listing: retried, as any unreadable answer is.
            let unreadable = PrometheusError(endpoint: url, query: match, reason: "HTTP \(response.status), unreadable series listing (\(bytes) bytes)",
                                             isTransient: true, status: response.status)
            if (200..<300).contains(response.status) && !readable { throw unreadable }
            // The skeleton carries the status (or the whole error answer) and an empty `data`.
            let envelope = HTTPResponse(status: response.status, headers: response.headers, body: Data(skeleton))
            let empty: [[String: String]] = try decode(envelope, url: url, query: match)
            guard empty.isEmpty else { throw unreadable }
            return count
        }
    }

    public func buildInfo() async throws -> PrometheusBuildInfo {
        try await call("/api/v1/status/buildinfo", query: nil, fields: nil)
    }

    private func call<T: Decodable>(_ endpoint: String, query: String?, fields: [(String, String)]?) async throws -> T {
        let url = baseURL + endpoint
        timer.countQuery()
        return try await retry.run(isTransient: Self.isTransient) {
            let request = request(url, fields: fields)
            if let pacer { try await Task.sleep(until: pacer.reserve(now: .now), clock: .continuous) }
            let sent = ContinuousClock.now
            let response = try await send(request, url: url, query: query)
            let received = ContinuousClock.now
            defer { timer.add(http: received - sent, decode: ContinuousClock.now - received, bytes: response.body.count) }
            return try decode(response, url: url, query: query)
        }
    }

    private static func isTransient(_ error: any Error) -> Bool {
        (error as? PrometheusError)?.isTransient ?? (error as? HTTPClientError)?.isTransient ?? false
    }

    private func request(_ url: String, fields: [(String, String)]?) -> HTTPRequest {
        switch (fields, useGET) {
        case (let fields?, false): .form(url: url, fields: fields)
        case (let fields?, true):
            HTTPRequest(url: url + "?" + fields.map { "\(HTTPRequest.formEncode($0.0))=\(HTTPRequest.formEncode($0.1))" }.joined(separator: "&"))
        case (nil, _): HTTPRequest(url: url)
        }
    }

    private func send(_ request: HTTPRequest, url: String, query: String?) async throws -> HTTPResponse {
        do {
            return try await client.send(request)
        } catch let error as HTTPClientError {
            throw PrometheusError(endpoint: url, query: query, reason: error.message, isTransient: error.isTransient)
        }
    }

    /// The same, the body handed to `receive` as it arrives.
    private func send(_ request: HTTPRequest, url: String, query: String?, receive: @escaping HTTPBodyHandler) async throws -> HTTPResponse {
        do {
            return try await client.send(request, receive: receive)
        } catch let error as HTTPClientError {
            throw PrometheusError(endpoint: url, query: query, reason: error.message, isTransient: error.isTransient)
        }
    }

    private func decode<T: Decodable>(_ response: HTTPResponse, url: String, query: String?) throws -> T {
        // Query answers, the bulk of what a collection receives, take the fast path first.
        if T.self == PrometheusQueryData.self, (200..<300).contains(response.status),
           let answer = PrometheusAnswerParser.parse(response.body) as? T {
            return answer
        }
        if T.self == [[String: String]].self, (200..<300).contains(response.status),
           let listing = PrometheusAnswerParser.parseLabelSets(response.body) as? T {
            return listing
        }
        let envelope: PrometheusEnvelope<T>
        do {
            envelope = try JSONDecoder().decode(PrometheusEnvelope<T>.self, from: response.body)
        } catch {
            // A 5xx page or a cut-off body from a proxy: worth another try. A 2xx that is not
            // the API's JSON is also retried, since truncation is the usual cause.
            let snippet = String(decoding: response.body.prefix(120), as: UTF8.self)
            throw PrometheusError(endpoint: url, query: query,
                                  reason: "HTTP \(response.status), unreadable answer (\(Self.describe(error))): \(snippet)",
                                  isTransient: response.status >= 500 || response.status == 429 || (200..<300).contains(response.status),
                                  status: response.status)
        }
        guard envelope.status == "success", let data = envelope.data else {
            let kind = envelope.errorType.map { "\($0): " } ?? ""
            throw PrometheusError(endpoint: url, query: query, reason: "HTTP \(response.status), \(kind)\(envelope.error ?? "no data")",
                                  isTransient: response.status >= 500 || response.status == 429, status: response.status)
        }
        return data
    }

    private func format(_ time: Double) -> String {
        String(format: "%.3f", time)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context): context.debugDescription
        default: "\(error)"
        }
    }
}

/// One streamed answer: the reader, fed from the HTTP client's thread, and the time spent reading.
private final class StreamingAnswer: Sendable {
    private let state = Mutex((stream: PrometheusAnswerStream(), streaming: true, decoding: Duration.zero))

    /// Only successful answers are streamed; any other body is kept for its error message.
    func feed(status: Int, _ bytes: UnsafeRawBufferPointer, emit: (PrometheusSeries) throws -> Void) throws {
        try state.withLock { state in
            let started = ContinuousClock.now
            defer { state.decoding += ContinuousClock.now - started }
            if state.stream.bytesSeen == 0 { state.streaming = (200..<300).contains(status) }
            if state.streaming { try state.stream.feed(bytes, emit: emit) } else { state.stream.keep(bytes) }
        }
    }

    func finish(emit: (PrometheusSeries) throws -> Void) throws -> (resultType: String?, skeleton: [UInt8], bytes: Int, decoding: Duration) {
        try state.withLock { state in
            let started = ContinuousClock.now
            let resultType = state.streaming ? try state.stream.finish(emit: emit) : nil
            state.decoding += ContinuousClock.now - started
            return (resultType, state.stream.skeleton, state.stream.bytesSeen, state.decoding)
        }
    }
}
