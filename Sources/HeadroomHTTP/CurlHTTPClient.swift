import CCurl
import Dispatch
import Foundation
import Synchronization

/// The HTTP client of every Headroom source and sink, on libcurl: custom CA files, client
/// certificates, bearer or basic auth, per-request timeouts and task cancellation.
///
/// Each request runs `curl_easy_perform` on a worker thread; the calling task suspends until it
/// finishes. Cancelling the task aborts the transfer within a progress tick (≈ 1 s at worst).
public final class CurlHTTPClient: HTTPClient {
    public let configuration: HTTPClientConfiguration
    private let queue = DispatchQueue(label: "headroom.http", qos: .userInitiated, attributes: .concurrent)

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        _ = curlGlobalInit
        self.configuration = configuration
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await send(request, transfer: Transfer(receiver: nil))
    }

    /// Streams the body to `receive` from libcurl's write callback, one network read at a time.
    public func send(_ request: HTTPRequest, receive: @escaping HTTPBodyHandler) async throws -> HTTPResponse {
        try await send(request, transfer: Transfer(receiver: receive))
    }

    private func send(_ request: HTTPRequest, transfer: Transfer) async throws -> HTTPResponse {
        let configuration = configuration
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(with: Result { try transfer.perform(request, configuration: configuration) })
                }
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .relaxed)
        }
    }
}

/// A libcurl timeout in whole milliseconds, at least 1 (0 would mean none).
func milliseconds(_ duration: Duration) -> Int {
    let parts = duration.components
    return max(1, Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000))
}

/// libcurl's read callback for a body held in memory: copies the next part of `data` from
/// `offset` into `buffer` (at most `capacity` bytes), moves `offset` on, and returns the bytes
/// copied (0 at the end).
func copyUpload(_ data: Data, offset: inout Int, into buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
    let length = min(capacity, data.count - offset)
    guard length > 0, let buffer else { return 0 }
    let start = offset
    data.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + start, byteCount: length)
    }
    offset += length
    return length
}

/// libcurl wants one `curl_global_init` before any handle exists.
let curlGlobalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT))
}()

/// One transfer's state, reachable from libcurl's C callbacks through an opaque pointer.
private final class Transfer: @unchecked Sendable {
    let cancelled = Atomic<Bool>(false)
    /// Where the body goes as it arrives; nil keeps it in `body`.
    let receiver: HTTPBodyHandler?
    /// The receiver's error, which aborted the transfer.
    var receiverError: (any Error)?
    var handle: UnsafeMutableRawPointer?
    var body = Data()
    var headerLines: [String] = []
    var upload = Data()
    var uploadOffset = 0

    init(receiver: HTTPBodyHandler?) { self.receiver = receiver }

    func perform(_ request: HTTPRequest, configuration: HTTPClientConfiguration) throws -> HTTPResponse {
        if cancelled.load(ordering: .relaxed) { throw CancellationError() }
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(kind: .invalidRequest, url: request.url, message: "libcurl could not create a handle")
        }
        self.handle = handle
        defer {
            self.handle = nil
            curl_easy_cleanup(handle)
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        let context = Unmanaged.passUnretained(self).toOpaque()
        let timeout = request.timeout ?? configuration.timeout
        hr_setopt_string(handle, CURLOPT_URL, request.url)
        hr_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        hr_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(timeout))
        hr_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(configuration.connectTimeout))
        if configuration.acceptCompressed { hr_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "") }  // any encoding libcurl can decode
        hr_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard let data else { return length }
            guard let receiver = transfer.receiver else {
                transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
                return length
            }
            do {
                try receiver(hr_response_code(transfer.handle), UnsafeRawBufferPointer(start: data, count: length))
                return length
            } catch {
                transfer.receiverError = error
                return 0   // any other count makes libcurl abort with CURLE_WRITE_ERROR
            }
        })
        hr_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        hr_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data {
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                transfer.headerLines.append(line.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return length
        })
        hr_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        hr_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        hr_setopt_progress_callback(handle, { context, _, _, _, _ in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.cancelled.load(ordering: .relaxed) ? 1 : 0
        })
        hr_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
        hr_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        switch request.method {
        case .get: break
        case .post:
            hr_setopt_long(handle, CURLOPT_POST, 1)
        default:
            // A body goes out only on a POST transfer; the custom verb (PATCH, PUT) renames it.
            if request.body != nil { hr_setopt_long(handle, CURLOPT_POST, 1) }
            hr_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let body = request.body {
            upload = body
            hr_setopt_long(handle, CURLOPT_POSTFIELDSIZE_LARGE, body.count)
            hr_setopt_data_callback(handle, CURLOPT_READFUNCTION, { buffer, size, count, context in
                let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                return copyUpload(transfer.upload, offset: &transfer.uploadOffset, into: buffer, capacity: size * count)
            })
            hr_setopt_pointer(handle, CURLOPT_READDATA, context)
        }

        let tls = configuration.tls
        if let caFile = tls.caFile { hr_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let certificate = tls.clientCertificateFile { hr_setopt_string(handle, CURLOPT_SSLCERT, certificate) }
        if let key = tls.clientKeyFile { hr_setopt_string(handle, CURLOPT_SSLKEY, key) }
        if tls.insecureSkipVerify {
            hr_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            hr_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }

        var headers = configuration.headers + request.headers
        switch configuration.authentication {
        case .bearer(let token): headers.append(("Authorization", "Bearer \(token)"))
        case .basic(let user, let password):
            headers.append(("Authorization", "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"))
        case nil: break
        }
        headers.append(("Expect", ""))  // no 100-continue round trip for POST bodies
        for header in headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        hr_setopt_list(handle, CURLOPT_HTTPHEADER, headerList)

        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            if code == CURLE_WRITE_ERROR, let receiverError { throw receiverError }
            if code == CURLE_ABORTED_BY_CALLBACK && cancelled.load(ordering: .relaxed) { throw CancellationError() }
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw HTTPClientError(kind: Self.kind(of: code), url: request.url, message: message)
        }
        return HTTPResponse(status: hr_response_code(handle), headers: Self.parseHeaders(headerLines), body: body)
    }


    private static func kind(of code: CURLcode) -> HTTPClientError.Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .connectionFailed
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_INVALIDCERTSTATUS:
            .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .invalidRequest
        default: .transfer
        }
    }

    /// Headers of the final response (after redirects or 100-continue), names lower-cased.
    private static func parseHeaders(_ lines: [String]) -> [String: String] {
        var headers: [String: String] = [:]
        for line in lines {
            if line.hasPrefix("HTTP/") {
                headers = [:]
            } else if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return headers
    }
}
