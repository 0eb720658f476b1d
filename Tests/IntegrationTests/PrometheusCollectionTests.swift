import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomHistory
import HeadroomDemo
import HeadroomTesting
import Testing

/// Collects the backfilled demo cluster back through Prometheus's real HTTP API.
@Suite(.serialized) struct PrometheusCollectionTests {
    @Test("Prometheus answers buildinfo")
    func buildInfo() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let info = try await prometheus.api().buildInfo()
        #expect(info.version.hasPrefix("2.") || info.version.hasPrefix("3."))
    }

    @Test("raw collection stores exactly the buckets the file importer makes of the backfilled source, for every container")
    func collectedEqualsSource() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("collected.sqlite"))
        let plan = CollectionPlan(start: prometheus.start, end: prometheus.end,
                                  chunkSeconds: CollectionPlan.chunkSeconds(scrapeIntervalSeconds: 15), mode: .raw)
        let summary = try await PrometheusCollector(api: prometheus.api()).collect(plan, store: { try store.ingest($0) })
        #expect(summary.chunks == 2)
        #expect(summary.nonFiniteSamplesSkipped == 0)
        #expect(summary.gaps == 0)

        // The source: the same OpenMetrics file, parsed by the file importer.
        let source = try FileImport.load(path: prometheus.fixture)
        let expected = Dictionary(grouping: source.usage) { $0.container }
        #expect(try store.containers() == expected.keys.sorted())
        #expect(expected.count == DemoCluster.workloads.count + 1, "the demo's workloads and the jittered StatefulSet")
        var compared = 0
        for (container, buckets) in expected {
            for resource in ResourceKind.allCases {
                let want = buckets.filter { $0.resource == resource }.map(\.stats).sorted { $0.start < $1.start }
                let got = try store.buckets(container, resource: resource, from: prometheus.start, to: prometheus.end)
                #expect(got.map(\.start) == want.map(\.start), "\(container) \(resource)")
                for (g, w) in zip(got, want) {
                    // Same samples, same arithmetic; only the order of summation may differ.
                    #expect(approximately(g.mean, w.mean, tolerance: 1e-9 * max(1, abs(w.mean)), because: "sum order of a few doubles"))
                    #expect(g.max == w.max && g.count == w.count)
                    compared += 1
                }
            }
        }
        #expect(compared == 20 * 2 * 576 + 2 * 288)
        #expect(try store.watermark(source: PrometheusCollector(api: prometheus.api()).sourceName) == prometheus.end)
    }

    @Test("pods roll up to their Deployments and StatefulSets with the declared requests")
    func rollUpAndInventory() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("collected.sqlite"))
        let plan = CollectionPlan(start: prometheus.end - 86_400, end: prometheus.end, chunkSeconds: 86_400)
        _ = try await PrometheusCollector(api: prometheus.api()).collect(plan, store: { try store.ingest($0) })
        let inventory = Dictionary(try store.latestInventory().map { ($0.container.workload, $0) }, uniquingKeysWith: { $1 })
        for spec in DemoCluster.workloads {
            let workload = WorkloadID(cluster: ContainerID.defaultCluster, namespace: spec.environment, kind: spec.kind, name: spec.name)
            let record = try #require(inventory[workload], "\(workload) missing")
            #expect(record.container.container == spec.container)
            #expect(record.requests == spec.request)
            #expect(record.limits == spec.limit)
            #expect(record.replicas.map { (spec.minReplicas...spec.maxReplicas).contains($0) } == true)
        }
    }

    @Test("a rejected query fails naming the query, and nothing is stored for that chunk")
    func rejectedQuery() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("collected.sqlite"))
        let broken = PrometheusQuerySet(name: "broken", metrics: [.init(metric: "container_memory_working_set_bytes", selector: "container_memory_working_set_bytes{")])
        let plan = CollectionPlan(start: prometheus.end - 3600, end: prometheus.end, chunkSeconds: 3600)
        do {
            _ = try await PrometheusCollector(api: prometheus.api(), querySet: broken).collect(plan, store: { try store.ingest($0) })
            Issue.record("expected the query to be rejected")
        } catch let error as PrometheusError {
            #expect(!error.isTransient)
            #expect(error.description.contains("container_memory_working_set_bytes{"))
            #expect(error.description.contains("HTTP 400"))
        }
        #expect(try store.containers().isEmpty)
    }
}

/// Selections larger than one query may hold, of metrics that have no `pod` label to split by.
@Suite struct CollectionAtScaleTests {
    @Test("600 nodes and 600 PersistentVolumes arrive, every one, through queries of at most 500 series")
    func everyNodeAndVolume() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("scale.sqlite"))
        let plan = CollectionPlan(start: prometheus.start, end: prometheus.end, chunkSeconds: 86_400, maxSeriesPerQuery: 500)
        let summary = try await PrometheusCollector(api: prometheus.api()).collect(plan, store: { try store.ingest($0) })
        let nodes = try store.latestNodes(cluster: DemoScaleObjects.clusterName)
        #expect(nodes.count == 600)
        #expect(Set(nodes.map(\.name)).count == 600 && nodes.allSatisfy { $0.capacity.cpu?.millicores == 4000 && $0.allocatable.memory != nil })
        let volumes = try store.latestVolumes(cluster: DemoScaleObjects.clusterName)
        #expect(volumes.count == 600 && volumes.allSatisfy { $0.capacityBytes == 20 << 30 })
        #expect(volumes.filter { $0.phase == "Released" }.count == 200)
        #expect(summary.series >= 600 * 6, "capacity and allocatable of two resources, labels, and two volume series per object")
    }
}
