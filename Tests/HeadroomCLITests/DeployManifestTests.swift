import Foundation
import HeadroomTesting
import Testing

/// deploy/: rendered with kubectl's kustomize, validated against Kubernetes' schemas and the
/// ServiceMonitor CRD schema, and held to the service's security policy (scripts/validate-deploy).
@Suite struct DeployManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let validator = root.appendingPathComponent("scripts/validate-deploy").path

    @Test("deploy/ renders, validates strictly and keeps the policy; the KEDA example points at the service")
    func shipped() async throws {
        let result = try await ChildProcess.run(Self.validator, [Self.root.appendingPathComponent("deploy").path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("8 objects and 1 example file(s) checked, 0 problem(s)"))
    }

    /// A copy of deploy/ with `edits` (file, from, to) applied.
    static func brokenCopy(_ edits: [(String, String, String)]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("deploy").path, toPath: directory.file("deploy"))
        for (file, from, to) in edits {
            let path = directory.file("deploy/\(file)")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains(from), "\(file) no longer contains \(from)")
            try text.replacingOccurrences(of: from, with: to).write(toFile: path, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test("each broken rule is reported by name and fails the check", arguments: [
        ("deployment.yaml", "  replicas: 1", "  replica: 1", "'replica' was unexpected"),
        ("deployment.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem must be true"),
        ("deployment.yaml", "drop: [ALL]", "drop: [NET_RAW]", "capabilities must drop ALL"),
        ("deployment.yaml", "            - --listen=0.0.0.0:8080\n", "", "must set --listen explicitly"),
        ("deployment.yaml", "path: /readyz", "path: /healthz", "readinessProbe must GET /readyz"),
        ("deployment.yaml", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot must be true"),
        ("clusterrole.yaml", "resources: [horizontalpodautoscalers]\n    verbs: [get, list, watch]", "resources: [horizontalpodautoscalers]\n    verbs: [get, list, watch, patch]", "beyond get/list/watch"),
        ("servicemonitor.yaml", "interval: 60s", "interval: 1 minute", "does not match"),
        ("servicemonitor.yaml", "port: http", "port: web", "port web is not a port of the selected Service"),
        ("examples/keda-scaledobject.yaml", "v1/keda/shop/web", "v1/keda/shop/api", "is not /v1/keda/shop/web"),
    ])
    func broken(file: String, from: String, to: String, message: String) async throws {
        let directory = try Self.brokenCopy([(file, from, to)])
        defer { directory.remove() }
        let result = try await ChildProcess.run(Self.validator, [directory.file("deploy")])
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
