import Foundation
import HeadroomTesting
import Testing

/// deploy/ and its overlays (VPA write-back; several replicas): rendered with kubectl's kustomize, validated against
/// Kubernetes' schemas and the ServiceMonitor and VPA CRD schemas, and held to the service's
/// security policy (scripts/validate-deploy).
@Suite struct DeployManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let validator = root.appendingPathComponent("scripts/validate-deploy").path

    @Test("deploy/ renders, validates strictly and keeps the policy; the KEDA example points at the service")
    func shipped() async throws {
        let result = try await ChildProcess.run(Self.validator, [Self.root.appendingPathComponent("deploy").path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("8 objects, 2 overlay(s) and 2 example file(s) checked, 0 problem(s)"))
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
        ("base/deployment.yaml", "  replicas: 1", "  replica: 1", "'replica' was unexpected"),
        ("base/deployment.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem must be true"),
        ("base/deployment.yaml", "drop: [ALL]", "drop: [NET_RAW]", "capabilities must drop ALL"),
        ("base/deployment.yaml", "            - --listen=$(POD_IP):8080\n", "", "must set --listen explicitly"),
        ("base/deployment.yaml", "path: /readyz", "path: /healthz", "readinessProbe must GET /readyz"),
        ("base/deployment.yaml", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot must be true"),
        ("base/clusterrole.yaml", "resources: [horizontalpodautoscalers]\n    verbs: [get, list, watch]", "resources: [horizontalpodautoscalers]\n    verbs: [get, list, watch, patch]", "beyond get/list/watch"),
        ("base/servicemonitor.yaml", "interval: 60s", "interval: 1 minute", "does not match"),
        ("base/servicemonitor.yaml", "port: http", "port: web", "port web is not a port of the selected Service"),
        ("examples/keda-scaledobject.yaml", "v1/keda/shop/web", "v1/keda/shop/api", "is not /v1/keda/shop/web"),
        ("examples/vpa-opt-in.yaml", "- name: headroom", "- name: default", "spec.recommenders does not name headroom"),
        ("overlays/vpa-write-back/clusterrole-vpa-status.yaml", "verbs: [patch]", "verbs: [patch, update]", "write-back may only patch"),
        ("overlays/vpa-write-back/kustomization.yaml", "  - clusterrole-vpa-status.yaml\n", "", "--write-vpa-status without a role to patch"),
        ("overlays/replicas/kustomization.yaml", "  - role-leases.yaml\n", "", "--replicas-shard without a namespaced Role"),
        ("overlays/replicas/role-leases.yaml", "verbs: [list, create, update]", "verbs: [list, create, update, delete]", "beyond get/list/watch"),
        ("overlays/replicas/role-leases.yaml", "resources: [leases]", "resources: [leases, configmaps]", "beyond get/list/watch"),
        ("overlays/replicas/kustomization.yaml", "value: 3", "value: 1", "fewer than 2 replicas"),
        ("overlays/replicas/kustomization.yaml", "postgres://headroom@", "postgres://headroom:hunter2@", "must not carry a password"),
        ("overlays/replicas/kustomization.yaml", "sslmode=verify-full", "sslmode=require", "must verify the server"),
        ("overlays/replicas/kustomization.yaml", "fieldPath: metadata.name}}}", "fieldPath: status.podIP}}}", "needs POD_NAME and POD_NAMESPACE"),
    ])
    func broken(file: String, from: String, to: String, message: String) async throws {
        let directory = try Self.brokenCopy([(file, from, to)])
        defer { directory.remove() }
        let result = try await ChildProcess.run(Self.validator, [directory.file("deploy")])
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
