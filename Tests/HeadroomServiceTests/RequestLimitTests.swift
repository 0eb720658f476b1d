import Foundation
import HeadroomHTTP
import HeadroomService
import Testing

/// Request line, header and body limits, over real loopback HTTP.
@Suite(.serialized) struct RequestLimitTests {
    static let open = ServeRouter.Options(token: nil, stalenessSeconds: 3_600, now: { 0 })

    @Test("a request target over 4 KiB answers 414; one under it is served")
    func longTarget() async throws {
        try await ServeFixture.withServer(state: ServeState(), options: Self.open) { base in
            let short = try await ServeFixture.get(base + "/healthz?pad=" + String(repeating: "a", count: 3_000))
            let long = try await ServeFixture.get(base + "/healthz?pad=" + String(repeating: "a", count: 5_000))
            #expect(short.status == 200 && long.status == 414)
        }
    }

    @Test("a body over 64 KiB answers 413 before any route runs")
    func largeBody() async throws {
        try await ServeFixture.withServer(state: ServeState(), options: Self.open) { base in
            let client = ServeFixture.client
            let small = try await client.send(HTTPRequest(method: .post, url: base + "/v1/cycles", body: Data(count: 1_000)))
            let large = try await client.send(HTTPRequest(method: .post, url: base + "/v1/cycles", body: Data(count: 100_000)))
            #expect(small.status == 401, "a small body reaches the route, which wants a token")
            #expect(large.status == 413)
        }
    }

    @Test("a header field over 8 KiB is refused by the decoder; one of 4 KiB is served")
    func largeHeader() async throws {
        try await ServeFixture.withServer(state: ServeState(), options: Self.open) { base in
            let fine = try await ServeFixture.get(base + "/healthz", headers: [("X-Pad", String(repeating: "a", count: 4_000))])
            #expect(fine.status == 200)
            let status: Int?
            do {
                status = try await ServeFixture.get(base + "/healthz", headers: [("X-Pad", String(repeating: "a", count: 20_000))]).status
            } catch {
                status = nil  // the server closed the connection: refused as well
            }
            #expect(status != 200, "a 20 KB header must not be served")
            let many = (0..<150).map { ("X-Field-\($0)", "v") }
            let crowded: Int?
            do { crowded = try await ServeFixture.get(base + "/healthz", headers: many).status } catch { crowded = nil }
            #expect(crowded != 200, "150 header fields must not be served")
        }
    }
}
