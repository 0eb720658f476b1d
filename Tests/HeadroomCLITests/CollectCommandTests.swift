import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

/// `headroom collect --kubeconfig` against the replaying Kubernetes API (the real API cannot run here).
@Suite struct CollectCommandTests {
    @Test("a kubeconfig snapshot lands in the store: inventory, nodes, quotas, live usage")
    func kubernetesSnapshot() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists, token: "t0ken")
        defer { replay.server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kubeconfig = try replay.kubeconfig(token: "t0ken", in: directory)
        let store = directory.file("h.sqlite")
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(),
                                          ["collect", "--db", store, "--kubeconfig", kubeconfig, "--cluster", "prod-eks"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("pods:            5 in 3 workload containers"))
        let history = try HistoryStore(path: store)
        #expect(try history.latestInventory().map(\.container.workload.name).sorted() == ["db", "node-exporter", "web"])
        #expect(try history.latestNodes(cluster: "prod-eks").count == 2)
        #expect(try history.latestQuotas(cluster: "prod-eks").count == 2)
        #expect(try history.events(kind: .oomKilled).count == 1)
        #expect(try history.usageTimeRange() != nil)
    }

    @Test("collect without a source is a usage error")
    func noSource() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["collect", "--db", directory.file("unused.sqlite")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("name a source"))
    }

    @Test("a 403 from the API fails the run with the missing permission and exit code 1")
    func forbidden() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists, faults: ["/api/v1/nodes": .forbidden])
        defer { replay.server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kubeconfig = try replay.kubeconfig(token: "x", in: directory)
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["collect", "--db", directory.file("h.sqlite"), "--kubeconfig", kubeconfig])
        #expect(result.status == 1)
        #expect(result.stderr.contains("GET /api/v1/nodes: 403 Forbidden"))
    }
}
