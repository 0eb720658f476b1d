import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

/// The node snapshots a window was paid for: those taken in it, and the one in force at its start.
@Suite struct NodeSnapshotsTests {
    static func node(_ name: String) -> NodeRecord {
        NodeRecord(name: name, nodePool: "p", instanceType: "m6i.large", allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 1930), memory: .gibibyte),
                   capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: .gibibyte))
    }

    @Test("snapshots at 1,000, 5,000 and 9,000; the window [3,000, 9,000) gets 1,000 (in force) and 5,000, each with its nodes")
    func window() throws {
        let directory = try TemporaryDirectory()
        let store = try HistoryStore(path: directory.file("nodes.sqlite"))
        for (at, names) in [(Int64(1_000), ["a"]), (5_000, ["a", "b"]), (9_000, ["b"])] {
            try store.ingest(CollectedBatch(source: "test", cluster: ClusterObjects(observedAt: at, nodes: names.map(Self.node))))
        }
        let snapshots = try store.nodeSnapshots(cluster: ContainerID.defaultCluster, from: 3_000, to: 9_000)
        #expect(snapshots.map(\.observedAt) == [1_000, 5_000])
        #expect(snapshots.map { $0.nodes.map(\.name) } == [["a"], ["a", "b"]])
        #expect(try store.nodeSnapshots(cluster: ContainerID.defaultCluster, from: 0, to: 2_000).map(\.observedAt) == [1_000], "before any: the first taken in the window")
        #expect(try store.nodeSnapshots(cluster: "other", from: 0, to: 10_000).isEmpty)
    }
}
