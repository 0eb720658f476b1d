import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

/// Each cluster's freshness names its own newest 5-minute bucket, whichever container and
/// resource holds it.
@Suite struct ClusterFreshnessTests {
    @Test("two clusters: each one's last usage bucket, the newest being one container's memory")
    func lastBucketPerCluster() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        let east = ContainerID(cluster: "east", namespace: "shop", kind: .deployment, workload: "web", container: "web")
        let eastDB = ContainerID(cluster: "east", namespace: "shop", kind: .statefulSet, workload: "db", container: "pg")
        let west = ContainerID(cluster: "west", namespace: "shop", kind: .deployment, workload: "web", container: "web")
        _ = try store.ingest(try usageBatch(east, [(1_000, 1), (4_000, 1)]))
        _ = try store.ingest(try usageBatch(eastDB, [(2_000, 1)]))
        _ = try store.ingest(try usageBatch(eastDB, [(9_100, 5)], resource: .memory))
        _ = try store.ingest(try usageBatch(west, [(600, 1), (1_500, 2)]))
        let freshness = try store.clusterFreshness()
        #expect(freshness.map(\.cluster) == ["east", "west"])
        #expect(freshness.map(\.lastUsageBucket) == [9_000, 1_500])
        #expect(freshness.map(\.containers) == [2, 1])
    }
}
