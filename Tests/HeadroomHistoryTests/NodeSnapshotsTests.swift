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

/// Hourly means averaged by SQLite equal the means of the stored 5-minute buckets.
@Suite struct HourlyMeansTests {
    @Test("two hours of buckets with a gap: each hour's mean of what is stored, nil where nothing is")
    func hourly() throws {
        let directory = try TemporaryDirectory()
        let store = try HistoryStore(path: directory.file("hourly.sqlite"))
        let container = ContainerID(namespace: "shop", kind: .deployment, workload: "web", container: "web")
        // Hour 0: 12 buckets 1…12; hour 1: buckets 0, 1 only (100, 300); hour 2: nothing.
        var usage: [UsageBucket] = []
        func bucket(_ start: Int64, _ value: Double) {
            usage.append(UsageBucket(container: container, resource: .cpu, stats: BucketStats(start: start, count: 1, mean: value, max: value,
                                                                                               firstSampleMillis: start * 1000, lastSampleMillis: start * 1000)))
        }
        for step in 0..<12 { bucket(7200 + Int64(step) * 300, Double(step + 1)) }
        bucket(10_800, 100)
        bucket(11_100, 300)
        try store.ingest(CollectedBatch(source: "test", usage: usage, rawSampleCount: usage.count))
        let means = try store.hourlyMeans(container, resource: .cpu, from: 7200, hours: 3)
        #expect(means == [6.5, 200, nil])
        #expect(try store.hourlyMeans(container, resource: .memory, from: 7200, hours: 3) == [nil, nil, nil])
    }
}
