import HeadroomConfig
import HeadroomCore
import HeadroomRecommend
import Testing

@Suite struct SizingOverridesFileTests {
    let payment = ContainerID(namespace: "production", kind: .deployment, workload: "payment-processor", container: "payment")
    let web = ContainerID(namespace: "production", kind: .deployment, workload: "web-frontend", container: "web")

    @Test("defaults, then matching rules in order, then annotations decide the policy")
    func precedence() throws {
        let file = try SizingOverridesFile.parse(LocatedYAML.parse("""
            defaults:
              margin: 0.2
            overrides:
              - namespace: production
                quantile: 0.95
              - workload: payment-processor
                quantile: 0.99
                min-memory: 512Mi
                memory-limit: factor:1.5
            """, file: "o.yaml"))
        let paymentPolicy = try file.policy(for: payment, annotations: ["headroom.io/margin": "0.3", "other.io/x": "y"])
        #expect(paymentPolicy.quantile == 0.99)
        #expect(paymentPolicy.margin == 0.3)
        #expect(paymentPolicy.minimumMemory == MemoryQuantity(bytes: 512 << 20))
        #expect(paymentPolicy.memoryLimit == .factor(1.5))
        let webPolicy = try file.policy(for: web, annotations: [:])
        #expect(webPolicy.quantile == 0.95 && webPolicy.margin == 0.2 && webPolicy.memoryLimit == .equalToRequest)
    }

    @Test("bad files name the line and the reason", arguments: [
        ("overrides:\n  - workload: a\n    quantile: 1.5\n", 3, "quantile"),
        ("overrides:\n  - workload: a\n    max-memory: 12Q\n", 3, "max-memory"),
        ("defaults:\n  margn: 0.1\n", 2, "unknown key \"margn\""),
        ("defaults:\n  cpu-limit: twice\n", 2, "none or ratio:R"),
        ("defaults: [1, 2\n", 2, "malformed YAML"),
    ])
    func errors(text: String, line: Int, fragment: String) {
        do {
            _ = try SizingOverridesFile.parse(LocatedYAML.parse(text, file: "bad.yaml"))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.file == "bad.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test("a bad annotation is an error naming it")
    func badAnnotation() {
        #expect(throws: SizingOverride.Invalid.self) {
            try SizingOverrides().policy(for: web, annotations: ["headroom.io/quantile": "high"])
        }
    }
}
