import Foundation
import HeadroomHTTP
import HeadroomTesting
import Synchronization
import Testing

@Suite struct CurlHTTPClientTests {
    @Test("GET returns status, lower-cased headers and body")
    func get() async throws {
        let server = try LoopbackHTTPServer { request in
            .init(status: 200, headers: [("X-Echo", request.path)], body: Data("hello".utf8))
        }
        defer { server.stop() }
        let response = try await CurlHTTPClient().send(HTTPRequest(url: "\(server.url)/api/v1/status/buildinfo"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello")
        #expect(response.headers["x-echo"] == "/api/v1/status/buildinfo")
    }

    @Test("form POST sends PromQL intact, + included")
    func formPost() async throws {
        let server = try LoopbackHTTPServer { _ in .json("{}") }
        defer { server.stop() }
        let query = "sum(rate(x[5m])) + 1 / on(pod) y{a=\"b&c\"}"
        _ = try await CurlHTTPClient().send(.form(url: "\(server.url)/api/v1/query", fields: [("query", query), ("time", "1")]))
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.parameter("query") == query)
        #expect(received.parameter("time") == "1")
    }

    @Test("bearer and basic credentials and extra headers are sent")
    func authentication() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 204) }
        defer { server.stop() }
        let bearer = CurlHTTPClient(configuration: .init(authentication: .bearer(token: "t0ken"), headers: [("X-Scope-OrgID", "team-a")]))
        _ = try await bearer.send(HTTPRequest(url: server.url))
        let basic = CurlHTTPClient(configuration: .init(authentication: .basic(user: "alice", password: "s3cret")))
        _ = try await basic.send(HTTPRequest(url: server.url))
        let requests = server.requests
        #expect(requests[0].headers["authorization"] == "Bearer t0ken")
        #expect(requests[0].headers["x-scope-orgid"] == "team-a")
        #expect(requests[1].headers["authorization"] == "Basic YWxpY2U6czNjcmV0")
    }

    @Test("a slow server times out with a timeout error")
    func timeout() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, fault: .delay(.seconds(3))) }
        defer { server.stop() }
        do {
            _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url, timeout: .milliseconds(300)))
            Issue.record("expected a timeout")
        } catch let error as HTTPClientError {
            #expect(error.kind == .timeout)
            #expect(error.isTransient)
        }
    }

    @Test("a server that is down is a connection failure naming the URL")
    func refused() async throws {
        let port = try freeLoopbackPort()
        do {
            _ = try await CurlHTTPClient().send(HTTPRequest(url: "http://127.0.0.1:\(port)/x"))
            Issue.record("expected a connection failure")
        } catch let error as HTTPClientError {
            #expect(error.kind == .connectionFailed)
            #expect(error.description.hasPrefix("http://127.0.0.1:\(port)/x: "))
        }
    }

    @Test("a truncated body is a transfer error, not a short success")
    func truncated() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Data(repeating: 65, count: 10_000), fault: .truncateBody(afterBytes: 100)) }
        defer { server.stop() }
        await #expect(throws: HTTPClientError.self) { try await CurlHTTPClient().send(HTTPRequest(url: server.url)) }
    }

    @Test("cancelling the task aborts the transfer")
    func cancellation() async throws {
        // The server would answer 200 after 30 s and the client would wait 60 s: only an
        // aborted transfer ends in CancellationError.
        let server = try LoopbackHTTPServer { _ in .init(status: 200, fault: .delay(.seconds(30))) }
        defer { server.stop() }
        let task = Task { try await CurlHTTPClient(configuration: .init(timeout: .seconds(60))).send(HTTPRequest(url: server.url)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

@Suite(.serialized) struct CurlTLSTests {
    let authority: TestCertificateAuthority
    let files: TemporaryDirectory
    let server: TLSFileServer

    init() throws {
        authority = try TestCertificateAuthority()
        files = try TemporaryDirectory()
        try files.write("hello.txt", "over TLS")
        server = try TLSFileServer(authority: authority, serving: files.path)
    }

    @Test("trusts the test CA when given it and presents the client certificate")
    func trusted() async throws {
        let client = CurlHTTPClient(configuration: .init(tls: TLSConfiguration(
            caFile: authority.caCertificate, clientCertificateFile: authority.clientCertificate, clientKeyFile: authority.clientKey)))
        let response = try await client.send(HTTPRequest(url: "\(server.url)/hello.txt"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("over TLS"))
    }

    @Test("refuses the server when the CA is not given")
    func untrusted() async throws {
        let client = CurlHTTPClient(configuration: .init(tls: TLSConfiguration(
            clientCertificateFile: authority.clientCertificate, clientKeyFile: authority.clientKey)))
        do {
            _ = try await client.send(HTTPRequest(url: "\(server.url)/hello.txt"))
            Issue.record("expected verification to fail")
        } catch let error as HTTPClientError {
            #expect(error.kind == .tls)
            #expect(!error.isTransient)
        }
    }

    @Test("without a client certificate the server rejects the handshake")
    func clientCertificateRequired() async throws {
        let client = CurlHTTPClient(configuration: .init(tls: TLSConfiguration(caFile: authority.caCertificate)))
        await #expect(throws: HTTPClientError.self) { try await client.send(HTTPRequest(url: "\(server.url)/hello.txt")) }
    }

    @Test("insecure-skip-verify accepts the unknown CA only when asked")
    func insecure() async throws {
        let client = CurlHTTPClient(configuration: .init(tls: TLSConfiguration(
            clientCertificateFile: authority.clientCertificate, clientKeyFile: authority.clientKey, insecureSkipVerify: true)))
        let response = try await client.send(HTTPRequest(url: "\(server.url)/hello.txt"))
        #expect(response.status == 200)
    }
}

@Suite struct CompressionTests {
    @Test("answers are asked for gzip only when the configuration says so (Prometheus spends CPU compressing)")
    func acceptEncoding() async throws {
        let server = try LoopbackHTTPServer { request in .json(#"{"accept":"\#(request.headers["accept-encoding"] ?? "none")"}"#) }
        defer { server.stop() }
        let plain = try await CurlHTTPClient(configuration: .init(acceptCompressed: false)).send(HTTPRequest(url: server.url + "/"))
        #expect(String(decoding: plain.body, as: UTF8.self) == #"{"accept":"none"}"#)
        let compressed = try await CurlHTTPClient(configuration: .init(acceptCompressed: true)).send(HTTPRequest(url: server.url + "/"))
        #expect(String(decoding: compressed.body, as: UTF8.self).contains("gzip"))
    }
}

@Suite struct CurlStreamingTests {
    final class Pieces: Sendable {
        let state = Mutex<(data: Data, pieces: Int, statuses: Set<Int>)>((Data(), 0, []))
    }

    @Test("a streamed body arrives in pieces that add up to it, with the status; the response keeps none of it")
    func pieces() async throws {
        let body = Data((0..<2_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let server = try LoopbackHTTPServer { _ in .init(status: 201, body: body) }
        defer { server.stop() }
        let pieces = Pieces()
        let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url)) { status, bytes in
            pieces.state.withLock {
                $0.data.append(contentsOf: bytes)
                $0.pieces += 1
                $0.statuses.insert(status)
            }
        }
        let received = pieces.state.withLock { $0 }
        #expect(received.data == body)
        #expect(received.pieces > 1)
        #expect(received.statuses == [201] && response.status == 201)
        #expect(response.body.isEmpty)
    }

    struct Refused: Error, Equatable {}

    @Test("a receiver that throws aborts the transfer with its own error")
    func receiverError() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Data(count: 1_000_000)) }
        defer { server.stop() }
        await #expect(throws: Refused.self) {
            _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url)) { _, _ in throw Refused() }
        }
    }
}
