import Foundation
import HeadroomConfig
import Testing

/// `headroom serve --config FILE`: every key read, every mistake named by file and line.
@Suite struct ServeConfigFileTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/serve/serve.example.yaml").path

    @Test("the shipped example reads every key")
    func example() throws {
        let file = try ServeConfigFile.load(Self.example)
        #expect(file.db == "/var/lib/headroom/headroom.sqlite" && file.listen == "127.0.0.1:8080")
        #expect(file.prometheus == "http://prometheus-operated.monitoring.svc:9090" && file.backfill == "7d")
        #expect(file.assessInterval == "15m" && file.collectInterval == "5m" && file.staleness == "1h" && file.tokenFile == "/etc/headroom/token/token")
        #expect(file.protectMetrics == false && file.budgets == "/etc/headroom/budgets.yaml" && file.cluster == "production")
        #expect(file.logFormat == "json" && file.logLevel == "info")
    }

    @Test("mistakes are FILE:LINE errors", arguments: [
        ("listen: 127.0.0.1:8080\nlisen: x\n", "s.yaml:2: unknown key \"lisen\""),
        ("listen: 127.0.0.1\n", "s.yaml:1: listen \"127.0.0.1\" is not HOST:PORT"),
        ("db: a\nassessInterval: soon\n", "s.yaml:2: assessInterval:"),
        ("collectInterval: -5m\n", "s.yaml:1: collectInterval:"),
        ("staleness: 0s\n", "s.yaml:1: staleness: invalid duration"),
        ("prometheus: prometheus:9090\n", "s.yaml:1: prometheus must be an http:// or https:// URL"),
        ("protectMetrics: maybe\n", "s.yaml:1: protectMetrics must be true or false"),
        ("log:\n  format: xml\n", "s.yaml:2: log.format \"xml\" is not one of json, logfmt"),
        ("log:\n  level: loud\n", "s.yaml:2: log.level \"loud\" is not one of"),
        ("- listen\n", "s.yaml:1: the serve configuration must be a mapping"),
        ("listen: [a\n", "s.yaml:2: malformed YAML"),
    ])
    func mistakes(text: String, message: String) throws {
        do {
            _ = try ServeConfigFile.parse(try LocatedYAML.parse(text, file: "s.yaml"))
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}
