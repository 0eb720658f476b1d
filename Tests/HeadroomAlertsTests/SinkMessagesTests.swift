import Foundation
import HeadroomAlerts
import Testing

/// The bodies sinks receive and the webhook signature.
@Suite struct SinkMessagesTests {
    @Test("the signature is HMAC-SHA256 (RFC 4231, test case 2)")
    func hmac() {
        #expect(SinkMessages.signature(Array("what do ya want for nothing?".utf8), secret: Array("Jefe".utf8))
            == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("Alertmanager v2 times are RFC 3339 in UTC")
    func times() {
        #expect(SinkMessages.rfc3339(1_764_979_200) == "2025-12-06T00:00:00Z")
    }
}
