import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomHistory
import HeadroomTesting

/// A small deterministic cluster for engine tests: a `shop` namespace with a web Deployment
/// (daily peaks), a database StatefulSet and an idle worker, on `backend` and `data` pools of
/// m6i.large nodes, with a quota, a mounted and a released volume. `scale` changes usage, requests
/// and node counts, so two clusters built with different scales answer differently.
struct SyntheticCluster {
    var name: String
    var scale: Double
    var days = 10
    var end: Int64 = 1_795_392_000  // 2026-11-23T00:00Z
    var seed: UInt64 = 7

    static let catalog = PriceCatalog(nodeTypes: [
        CatalogNodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, onDemand: 96_000),
        CatalogNodeType(name: "m6i.xlarge", vcpu: 4, memoryGiB: 16, maxPods: 58, onDemand: 192_000),
        CatalogNodeType(name: "c6i.large", vcpu: 2, memoryGiB: 4, maxPods: 29, onDemand: 85_000),
    ], units: .openCostDefaults)

    func id(_ kind: WorkloadKind, _ workload: String, _ container: String) -> ContainerID {
        ContainerID(cluster: name, namespace: "shop", kind: kind, workload: workload, container: container)
    }

    var start: Int64 { end - Int64(days) * 86_400 }

    func batch() -> CollectedBatch {
        var random = SplitMix64(seed: seed)
        let web = id(.deployment, "web", "web"), db = id(.statefulSet, "db", "postgres"), worker = id(.deployment, "worker", "worker")
        var usage: [UsageBucket] = []
        for step in 0..<(days * 288) {
            let time = start + Int64(step) * 300
            let hour = Double((time % 86_400) / 3600)
            let daily = 0.5 + 0.5 * sin((hour - 8) / 24 * 2 * .pi)
            func bucket(_ container: ContainerID, _ resource: ResourceKind, _ mean: Double) {
                let value = max(0, mean * (1 + 0.1 * random.nextGaussian()))
                usage.append(UsageBucket(container: container, resource: resource, stats: BucketStats(
                    start: time, count: 20, mean: value, max: value * 1.3, firstSampleMillis: time * 1000, lastSampleMillis: time * 1000 + 285_000)))
            }
            bucket(web, .cpu, scale * (40 + 160 * daily))
            bucket(web, .memory, scale * 300 * 1_048_576)
            bucket(db, .cpu, scale * 250)
            bucket(db, .memory, scale * 1_800 * 1_048_576)
            bucket(worker, .cpu, 1)
            bucket(worker, .memory, 60 * 1_048_576)
        }
        func requests(_ millicores: Double, _ mebibytes: Double) -> ResourceAmounts {
            ResourceAmounts(cpu: CPUQuantity(millicores: Int64(millicores * scale)), memory: MemoryQuantity(bytes: Int64(mebibytes * scale) << 20))
        }
        let observed = start
        let inventory = [
            InventoryRecord(container: web, observedAt: observed, requests: requests(500, 1024), limits: ResourceAmounts(memory: .gibibyte.scaled(by: 2)),
                            replicas: 3, nodePool: "backend", labels: ["team": "web"]),
            InventoryRecord(container: db, observedAt: observed, requests: requests(1000, 4096), limits: .none, replicas: 1, nodePool: "data",
                            labels: ["team": "data"]),
            InventoryRecord(container: worker, observedAt: observed, requests: requests(250, 512), limits: .none, replicas: 2, nodePool: "backend",
                            labels: ["team": "web"]),
        ]
        let nodeCount = scale > 1 ? 3 : 2
        func node(_ index: Int, _ pool: String) -> NodeRecord {
            NodeRecord(name: "\(name)-\(pool)-\(index)", nodePool: pool, zone: "zone-a", instanceType: "m6i.large",
                       allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 1930), memory: MemoryQuantity(bytes: 7 << 30)),
                       capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: MemoryQuantity(bytes: 8 << 30)))
        }
        let objects = ClusterObjects(
            observedAt: end - 600,
            nodes: (0..<nodeCount).map { node($0, "backend") } + (0..<2).map { node($0, "data") },
            quotas: [ResourceQuotaRecord(namespace: "shop", name: "compute", resource: "requests.cpu", hard: scale > 1 ? "8" : "4", used: nil),
                     ResourceQuotaRecord(namespace: "shop", name: "compute", resource: "requests.memory", hard: "16Gi", used: nil)],
            volumes: [VolumeRecord(name: "\(name)-pv-db", storageClass: "gp3", capacityBytes: 50 << 30, phase: "Bound", claimNamespace: "shop",
                                   claimName: "data-db-0", workload: db.workload),
                      VolumeRecord(name: "\(name)-pv-old", storageClass: "gp3", capacityBytes: Int64(scale * 100) << 30, phase: "Released",
                                   claimNamespace: nil, claimName: nil, workload: nil)],
            cluster: name)
        return CollectedBatch(source: "synthetic:\(name)", usage: usage, inventory: inventory, rawSampleCount: usage.count * 20, cluster: objects)
    }

    static func store(_ clusters: [SyntheticCluster], in directory: TemporaryDirectory, named file: String) throws -> HistoryStore {
        let store = try HistoryStore(path: directory.file(file))
        for cluster in clusters { _ = try store.ingest(cluster.batch()) }
        return store
    }
}
