import Foundation
import HeadroomTesting
import Testing

/// What the shipped `headroom` binary links: the demo generator yes, the test support no.
@Suite struct ShippedBinaryTests {
    /// Mangled Swift symbols carry their module's name with its length (`15HeadroomTesting`).
    static func symbols(_ binary: String) async throws -> String {
        let listed = try await ChildProcess.run("/usr/bin/nm", ["--defined-only", binary])
        #expect(listed.status == 0, "\(listed.stderr)")
        return listed.stdout
    }

    @Test("the binary links no loopback server, test CA or other HeadroomTesting code, and does link the demo generator")
    func noTestSupport() async throws {
        let symbols = try await Self.symbols(try ChildProcess.headroomBinary())
        #expect(symbols.contains("12HeadroomDemo"), "the demo generator should be linked (headroom fixtures generate)")
        #expect(!symbols.contains("15HeadroomTesting"), "HeadroomTesting must not be linked into the shipped binary")
    }
}
