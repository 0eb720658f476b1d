import Foundation
import HeadroomTesting
import Testing

/// `headroom serve` as a user runs it: one cycle with --once, and its usage errors.
@Suite struct ServeCommandTests {
    @Test("serve --once publishes the same assessment assess prints and exits 0; served, SIGTERM ends it with 0")
    func once() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let served = try await demo.run(["serve", "--once"])
        #expect(served.status == 0, "\(served.stderr)")
        let assessed = try await demo.run(["assess", "-o", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(assessed.stdout.utf8)) as? [String: Any]
        let containers = try #require((document?["totals"] as? [String: Any])?["containers"] as? Int)
        #expect(served.stdout.hasPrefix("cycle 1: published the assessment of \(containers) containers"), "\(served.stdout)")

        // Serving, then SIGTERM during the first cycle: the cycle finishes, the process exits 0
        // and the store is intact.
        let server = try SpawnedProcess(demo.binary, ["serve", "--db", demo.store, "--listen", "127.0.0.1:0"],
                                        environment: ["HEADROOM_MODELS": DemoStore.models])
        let log = server.readStandardError { $0.contains("listening on 127.0.0.1:") }
        #expect(log.contains("listening on 127.0.0.1:"), "\(log)")
        server.signal(SIGTERM)
        let ended = server.wait()
        #expect(ended.status == 0 && !ended.signalled, "\(server.readStandardError { _ in false })")
        let check = try await demo.run(["db", "stats", "-o", "json"])
        #expect(check.status == 0 && check.stdout.contains("\"integrity\" : \"ok\""), "\(check.stdout)")
    }

    @Test("serve --once on a store it cannot assess says why and exits 1")
    func onceFails() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import", demo.files[0]]).status == 0)  // usage only: no nodes
        let served = try await demo.run(["serve", "--once"])
        #expect(served.status == 1)
        #expect(served.stderr.contains("the cycle failed") && served.stderr.contains("no nodes"), "\(served.stderr)")
    }

    @Test("serve rejects a malformed --listen and an unreadable --token-file with exit 2, naming them")
    func usageErrors() async throws {
        let binary = try ChildProcess.headroomBinary()
        let listen = try await ChildProcess.run(binary, ["serve", "--listen", "8080"])
        #expect(listen.status == 2 && listen.stderr.contains("--listen \"8080\" is not HOST:PORT"), "\(listen.stderr)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.file("no-such-token")
        let token = try await ChildProcess.run(binary, ["serve", "--token-file", missing])
        #expect(token.status == 2 && token.stderr.contains("--token-file \(missing): cannot be read"), "\(token.stderr)")
        let interval = try await ChildProcess.run(binary, ["serve", "--assess-interval", "soon"])
        #expect(interval.status == 2 && interval.stderr.contains("--assess-interval"), "\(interval.stderr)")
    }
}
