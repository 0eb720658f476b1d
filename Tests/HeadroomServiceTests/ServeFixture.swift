import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomHTTP
import HeadroomService
import HeadroomTesting
import Hummingbird
import Logging
import ServiceLifecycle

/// A real Assessment of a small store (a web Deployment with daily peaks in `shop`, a database
/// StatefulSet in `data`, 8 days), and a real server on a free loopback port to ask.
enum ServeFixture {
    static let end: Int64 = 1_795_392_000
    static let web = ContainerID(namespace: "shop", kind: .deployment, workload: "web", container: "web")
    static let db = ContainerID(namespace: "data", kind: .statefulSet, workload: "db", container: "postgres")

    /// Computed once for the whole suite.
    static func assessment() async throws -> Assessment { try await shared.value }
    private static let shared = Task { try await computeAssessment() }

    private static func computeAssessment() async throws -> Assessment {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("serve.sqlite"))
        let start = end - 8 * 86_400
        var usage: [UsageBucket] = []
        for step in 0..<(8 * 288) {
            let time = start + Int64(step) * 300
            let daily = 0.5 + 0.5 * sin(Double((time % 86_400) / 3600 - 8) / 24 * 2 * .pi)
            func bucket(_ container: ContainerID, _ resource: ResourceKind, _ mean: Double) {
                usage.append(UsageBucket(container: container, resource: resource, stats: BucketStats(
                    start: time, count: 20, mean: mean, max: mean * 1.2, firstSampleMillis: time * 1000, lastSampleMillis: time * 1000 + 285_000)))
            }
            bucket(web, .cpu, 40 + 160 * daily)
            bucket(web, .memory, 300 * 1_048_576)
            bucket(db, .cpu, 250)
            bucket(db, .memory, 1_800 * 1_048_576)
        }
        let inventory = [
            InventoryRecord(container: web, observedAt: start, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: .gibibyte),
                            limits: .none, replicas: 3, nodePool: "backend"),
            InventoryRecord(container: db, observedAt: start, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 1000), memory: .gibibyte.scaled(by: 4)),
                            limits: .none, replicas: 1, nodePool: "data"),
        ]
        let nodes = ["backend", "data"].map { pool in
            NodeRecord(name: "\(pool)-0", nodePool: pool, zone: "zone-a", instanceType: "m6i.large",
                       allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 1930), memory: MemoryQuantity(bytes: 7 << 30)),
                       capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 2000), memory: MemoryQuantity(bytes: 8 << 30)))
        }
        try store.ingest(CollectedBatch(source: "serve-test", usage: usage, inventory: inventory, rawSampleCount: usage.count * 20,
                                        cluster: ClusterObjects(observedAt: end - 600, nodes: nodes)))
        let engine = try await Engine(store: store, selecting: nil)
        let catalog = PriceCatalog(nodeTypes: [CatalogNodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, onDemand: 96_000)],
                                   units: .openCostDefaults)
        return try await engine.assess(AssessmentConfiguration(catalog: catalog), now: end + 3_600)
    }

    /// Runs the service's router on 127.0.0.1, port 0, for `body`, which gets its base URL.
    static func withServer(state: ServeState, trigger: CycleTrigger = CycleTrigger(), options: ServeRouter.Options,
                           _ body: @Sendable (String) async throws -> Void) async throws {
        let router = ServeRouter.router(state: state, trigger: trigger, options: options)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "serve-test")
        logger.logLevel = .warning
        let application = Application(router: router, server: options.limits.server, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let services = ServiceGroup(configuration: .init(services: [application], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw HTTPClientError(kind: .connectionFailed, url: "127.0.0.1", message: "the server reported no port") }
            do {
                try await body("http://127.0.0.1:\(port)")
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    /// The suite's client. Its timeout is long on purpose: Swift Testing runs every suite of the
    /// package in one process on a cooperative pool of two threads here, and while CPU-bound
    /// suites (forecasts, assessments) hold both, an in-process server answers late, not wrongly.
    static let client = CurlHTTPClient(configuration: HTTPClientConfiguration(timeout: .seconds(600)))

    static func get(_ url: String, headers: [(name: String, value: String)] = [],
                    method: HeadroomHTTP.HTTPRequest.Method = .get) async throws -> HeadroomHTTP.HTTPResponse {
        try await client.send(HeadroomHTTP.HTTPRequest(method: method, url: url, headers: headers))
    }

    static func object(_ response: HeadroomHTTP.HTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: response.body) as? [String: Any] ?? [:]
    }
}
