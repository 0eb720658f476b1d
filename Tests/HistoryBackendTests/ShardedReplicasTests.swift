import Foundation
import HeadroomAlerts
import HeadroomCollect
import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomHistoryPostgres
import HeadroomHTTP
import HeadroomService
import HeadroomTesting
import Logging
import Testing

/// Replicas of `serve --replicas-shard` on one real PostgreSQL and the loopback Lease API (the
/// Kubernetes API cannot run here; `LoopbackLeaseAPI` keeps its optimistic concurrency): each
/// does what a cycle of the service does with what it holds, in-process, with time passed in.
@Suite(.serialized) struct ShardedReplicasTests {
    static let end: Int64 = 1_795_392_000
    static let shards = 8
    static let cluster = "production"
    static let catalog = PriceCatalog(nodeTypes: [CatalogNodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, onDemand: 96_000)],
                                      units: .openCostDefaults)
    /// Twelve Deployments, so every replica's shards hold some.
    static let containers = (0..<12).map { ContainerID(cluster: cluster, namespace: "shop", kind: .deployment, workload: "app-\($0)", container: "app") }

    /// Two days of every container's usage, their declared state and two nodes.
    static func history() -> CollectedBatch {
        let start = end - 2 * 86_400
        var usage: [UsageBucket] = []
        for (index, container) in containers.enumerated() {
            for step in 0..<(2 * 288) {
                let time = start + Int64(step) * 300
                let daily = 0.5 + 0.5 * sin(Double((time % 86_400) / 3600 - 8) / 24 * 2 * .pi)
                for (resource, mean) in [(ResourceKind.cpu, Double(20 + 10 * index) * (0.5 + daily)), (.memory, Double(200 + 20 * index) * 1_048_576)] {
                    usage.append(UsageBucket(container: container, resource: resource, stats: BucketStats(
                        start: time, count: 20, mean: mean, max: mean * 1.2, firstSampleMillis: time * 1000, lastSampleMillis: time * 1000 + 285_000)))
                }
            }
        }
        let inventory = containers.map {
            InventoryRecord(container: $0, observedAt: start, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: .gibibyte),
                            limits: .none, replicas: 2, nodePool: "backend")
        }
        let nodes = (0..<2).map {
            NodeRecord(name: "backend-\($0)", nodePool: "backend", zone: "zone-a", instanceType: "m6i.large",
                       allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 1930), memory: MemoryQuantity(bytes: 7 << 30)),
                       capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: MemoryQuantity(bytes: 8 << 30)))
        }
        return CollectedBatch(source: "replicas-test", usage: usage, inventory: inventory, rawSampleCount: usage.count * 20,
                              cluster: ClusterObjects(observedAt: end - 600, nodes: nodes, cluster: cluster))
    }

    /// One replica: its Leases and the store it shares.
    struct Replica {
        let name: String
        let leases: ShardLeases

        /// A cycle's assessment of the shards it holds, as the service's cycle asks for it.
        func assess(_ store: any HistoryBackend, holding held: ShardOwnership) async throws -> Assessment {
            var configuration = AssessmentConfiguration(catalog: ShardedReplicasTests.catalog)
            configuration.budgets = [Budget(name: "shop", namespaces: ["shop"], monthly: 1_000_000, thresholds: [100], line: nil)]
            configuration.advice.shard = ShardSelection(shards: ShardedReplicasTests.shards, owned: held.shards)
            return try await Engine(store: store, cluster: ShardedReplicasTests.cluster).assess(configuration, now: ShardedReplicasTests.end + 3_600)
        }
    }

    static func replicas(_ names: [String], on server: LoopbackLeaseAPI) -> [Replica] {
        names.map {
            Replica(name: $0, leases: ShardLeases(api: KubernetesAPI(connection: KubernetesConnection(server: server.url)),
                                                   configuration: ShardLeaseConfiguration(namespace: "headroom", shards: shards, identity: $0)))
        }
    }

    /// Ticks each replica in turn, `rounds` times 2 s apart (client-go's renewal pace for a 15 s lease).
    static func tick(_ replicas: [Replica], rounds: Int, from start: Int64) async throws -> (held: [ShardOwnership], now: Int64) {
        var now = start, held: [ShardOwnership] = []
        for _ in 0..<rounds {
            held = []
            for replica in replicas { held.append(try await replica.leases.tick(nowMillis: now)) }
            now += 2_000
        }
        return (held, now)
    }

    /// Each replica's assessment, concurrently, as replicas' cycles run.
    static func cycle(_ replicas: [Replica], holding held: [ShardOwnership], store: any HistoryBackend) async throws -> [Assessment] {
        try await withThrowingTaskGroup(of: (Int, Assessment).self) { group in
            for (index, replica) in replicas.enumerated() {
                group.addTask { (index, try await replica.assess(store, holding: held[index])) }
            }
            var results: [Int: Assessment] = [:]
            for try await (index, assessment) in group { results[index] = assessment }
            return replicas.indices.map { results[$0]! }
        }
    }

    /// Every container advised once over the replicas' assessments.
    static func expectEachContainerOnce(_ assessments: [Assessment]) {
        var count: [ContainerID: Int] = [:]
        for assessment in assessments { for row in assessment.containers { count[row.container, default: 0] += 1 } }
        #expect(Set(count.keys) == Set(containers), "every container assessed")
        #expect(count.values.allSatisfy { $0 == 1 }, "none assessed twice: \(count.filter { $0.value > 1 })")
        #expect(assessments.allSatisfy { !$0.containers.isEmpty }, "every replica had work")
    }

    @Test("three replicas assess every workload once a cycle; a killed one's shards are taken over within the lease duration")
    func assessOnceAndTakeOver() async throws {
        try await StoreBackend.postgres.withStore { store in
            try await store.ingest([Self.history()], progress: nil)
            let server = try LoopbackLeaseAPI()
            let three = Self.replicas(["headroom-0", "headroom-1", "headroom-2"], on: server)
            let start: Int64 = 1_800_000_000_000
            let (held, now) = try await Self.tick(three, rounds: 3, from: start)
            #expect(held.filter(\.isLeader).count == 1)
            Self.expectEachContainerOnce(try await Self.cycle(three, holding: held, store: store))

            // headroom-2 dies (no more ticks, nothing released); its last renewal was at now − 2 s.
            // The others take its shards once they have seen its Leases unrenewed for the 15 s
            // lease, at a tick: by 19 s after that renewal (`ShardLeasesTests` pins the bound).
            // Nine ticks 2 s apart end 18 s after it.
            let two = Array(three.prefix(2))
            let (after, _) = try await Self.tick(two, rounds: 9, from: now)
            #expect(after.reduce(0) { $0 + $1.shards.count } == Self.shards && Set(after.flatMap(\.shards)).count == Self.shards)
            Self.expectEachContainerOnce(try await Self.cycle(two, holding: after, store: store))
        }
    }

    @Test("two replicas: each VPA status is written by its shard's holder only, each alert is sent once by the leader")
    func vpaAndAlertsOnce() async throws {
        try await StoreBackend.postgres.withStore { store in
            try await store.ingest([Self.history()], progress: nil)
            let server = try LoopbackLeaseAPI()
            let pair = Self.replicas(["headroom-a", "headroom-b"], on: server)
            let (held, _) = try await Self.tick(pair, rounds: 3, from: 1_800_000_000_000)
            let assessments = try await Self.cycle(pair, holding: held, store: store)

            let vpas = Self.containers.map { container in
                #"{"metadata":{"name":"\#(container.workload.name)","namespace":"shop"},"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"\#(container.workload.name)"},"recommenders":[{"name":"headroom"}]}}"#
            }
            let kubernetes = try ReplayingKubernetesAPI(lists: ["/apis/autoscaling.k8s.io/v1/verticalpodautoscalers": vpas])
            let receiver = try WebhookReceiver { _, signature in signature == nil }
            let rules = try AlertRulesFile.parse(LocatedYAML.parse("""
                sinks:
                  - {name: hook, type: webhook, url: "\(receiver.url)"}
                rules:
                  - {name: shop-forecast, kind: budgetForecast, percentile: p50, severity: critical, sinks: [hook]}
                """, file: "alerts.yaml"))
            // Both replicas' post-cycle duties at once, as the service runs them.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, replica) in pair.enumerated() {
                    let assessment = assessments[index], ownership = held[index]
                    group.addTask {
                        let writer = VPAStatusWriter(api: KubernetesAPI(connection: KubernetesConnection(server: kubernetes.url)),
                                                     logger: Logger(label: replica.name), metrics: ServiceMetrics())
                        _ = try await writer.write(assessment, now: Self.end + 3_600, shard: ShardSelection(shards: Self.shards, owned: ownership.shards))
                        if ownership.isLeader {
                            let sender = AlertSender(configuration: rules, client: CurlHTTPClient(configuration: HTTPClientConfiguration()))
                            _ = try await AlertRunner.run(store, assessment: assessment, sender: sender, now: Self.end + 3_600)
                        }
                    }
                }
                try await group.waitForAll()
            }
            var writes: [String: Int] = [:]
            for patch in kubernetes.patches { writes[patch.path, default: 0] += 1 }
            #expect(writes.count == Self.containers.count, "every VPA written: \(writes.keys.sorted())")
            #expect(writes.values.allSatisfy { $0 == 1 }, "no VPA written twice: \(writes.filter { $0.value > 1 })")
            let notices = try receiver.delivered().flatMap { ($0["alerts"] as? [[String: Any]]) ?? [] }.compactMap { $0["key"] as? String }
            #expect(notices == [#"shop-forecast{budget="shop",cluster="production",threshold="100"}"#], "\(notices)")
        }
    }
}
