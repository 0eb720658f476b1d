import Benchmark
import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomService
import HeadroomTesting
import Hummingbird
import Logging
import ServiceLifecycle

/// The recommender service on 10,000 workloads: rendering `/metrics` once per cycle, and wrk's
/// load (2 threads, 32 connections, 10 s) against a filtered `/v1/recommendations` and `/metrics`
/// on the loopback, the server in this process. Both cores are shared by wrk and the server.
func servingBenchmarks() {
    let seriesPerSecond = BenchmarkMetric.custom("series K/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark("Render /metrics for 10,000 workloads", configuration: .init(metrics: [.wallClock, seriesPerSecond], maxIterations: 10)) { benchmark in
        let assessment = try await ServingFixture.assessment(workloads: 10_000)
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            let text = AssessmentMetrics.render(assessment)
            let series = text.split(separator: 0x0A).lazy.filter { $0.first != UInt8(ascii: "#") }.count
            benchmark.measurement(seriesPerSecond, Int(Double(series) / seconds(since: started) / 1000))
            blackHole(text)
        }
    }

    guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        print("HeadroomBenchmarks: wrk not installed (apt-get install wrk); skipping the HTTP load benchmark")
        return
    }
    let requestsPerSecond = BenchmarkMetric.custom("req/s", polarity: .prefersLarger, useScalingFactor: false)
    let p50 = BenchmarkMetric.custom("p50 µs", polarity: .prefersSmaller, useScalingFactor: false)
    let p99 = BenchmarkMetric.custom("p99 µs", polarity: .prefersSmaller, useScalingFactor: false)
    for (name, path) in [("/v1/recommendations?namespace=&workload= (one workload)", "/v1/recommendations?namespace=ns17&workload=w4017"),
                         ("/metrics", "/metrics")] {
        Benchmark("wrk on \(name), 10,000 workloads", configuration: .init(metrics: [requestsPerSecond, p50, p99], maxIterations: 1)) { benchmark in
            let state = ServeState()
            try await state.publish(try await ServingFixture.assessment(workloads: 10_000), at: ServingFixture.now)
            for _ in benchmark.scaledIterations {
                let result = try await ServingFixture.withServer(state: state) { base in
                    let run = try await ChildProcess.run(wrk, ["-t2", "-c32", "-d10s", "--latency", base + path])
                    guard run.status == 0, let result = WrkResult(run.stdout), result.non2xx == 0 else {
                        throw ServingFixture.Failure(description: "wrk on \(path): \(run.stdout)\(run.stderr)")
                    }
                    return result
                }
                print("wrk on \(path): \(Int(result.requestsPerSecond)) req/s, p50 \(Int(result.p50Microseconds)) µs, p99 \(Int(result.p99Microseconds)) µs")
                benchmark.measurement(requestsPerSecond, Int(result.requestsPerSecond))
                benchmark.measurement(p50, Int(result.p50Microseconds))
                benchmark.measurement(p99, Int(result.p99Microseconds))
            }
        }
    }
}

/// What wrk prints: requests per second, the latency distribution (`--latency`) and non-2xx answers.
struct WrkResult {
    var requestsPerSecond: Double
    var p50Microseconds: Double
    var p99Microseconds: Double
    var non2xx: Int

    init?(_ output: String) {
        // "     99%    5.67ms" under "Latency Distribution".
        func latency(_ percentile: String) -> Double? {
            for line in output.split(separator: "\n") {
                let fields = line.split(whereSeparator: \.isWhitespace)
                guard fields.count == 2, fields[0] == "\(percentile)%" else { continue }
                let text = fields[1]
                for (unit, scale) in [("us", 1.0), ("ms", 1_000.0), ("s", 1_000_000.0)] where text.hasSuffix(unit) {
                    return Double(text.dropLast(unit.count)).map { $0 * scale }
                }
            }
            return nil
        }
        guard let rate = output.firstMatch(of: /Requests\/sec:\s+([0-9.]+)/).flatMap({ Double($0.1) }),
              let median = latency("50"), let tail = latency("99") else { return nil }
        requestsPerSecond = rate
        p50Microseconds = median
        p99Microseconds = tail
        non2xx = output.firstMatch(of: /Non-2xx or 3xx responses:\s+([0-9]+)/).flatMap { Int($0.1) } ?? 0
    }
}

/// A 10,000-workload assessment without 10,000 forecasts: the engine assesses 8 Deployments
/// (8 days of daily waves of different sizes), and their rows are repeated under new names in
/// 40 namespaces. The figures are real; only the names repeat.
enum ServingFixture {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static let end: Int64 = 1_795_392_000
    static let now = end + 3_600

    static func assessment(workloads: Int) async throws -> Assessment {
        let base = try await baseAssessment()
        var assessment = base
        assessment.containers = (0..<workloads).map { index in
            var row = base.containers[index % base.containers.count]
            row.container = ContainerID(namespace: "ns\(index % 40)", kind: .deployment, workload: "w\(index)", container: "app")
            return row
        }
        assessment.workloads = base.workloads.isEmpty ? [] : (0..<workloads).compactMap { index in
            guard var advice = base.workloads.first(where: { $0.workload == base.containers[index % base.containers.count].container.workload }) else { return nil }
            advice.workload = WorkloadID(cluster: ContainerID.defaultCluster, namespace: "ns\(index % 40)", kind: .deployment, name: "w\(index)")
            return advice
        }
        assessment.totals.containers = workloads
        return assessment
    }

    private static func baseAssessment() async throws -> Assessment {
        let directory = try TemporaryDirectory(prefix: "headroom-bench")
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("serving.sqlite"))
        let start = end - 8 * 86_400
        var usage: [UsageBucket] = []
        var inventory: [InventoryRecord] = []
        for index in 0..<8 {
            let container = ContainerID(namespace: "base", kind: .deployment, workload: "w\(index)", container: "app")
            let scale = Double(index + 1)
            for step in 0..<(8 * 288) {
                let time = start + Int64(step) * 300
                let daily = 0.5 + 0.5 * sin(Double(time % 86_400) / 86_400 * 2 * .pi)
                for (resource, mean) in [(ResourceKind.cpu, 30 * scale + 100 * scale * daily), (.memory, 200 * scale * 1_048_576)] {
                    usage.append(UsageBucket(container: container, resource: resource, stats: BucketStats(
                        start: time, count: 20, mean: mean, max: mean * 1.2, firstSampleMillis: time * 1000, lastSampleMillis: time * 1000 + 285_000)))
                }
            }
            inventory.append(InventoryRecord(container: container, observedAt: start,
                                             requests: ResourceAmounts(cpu: CPUQuantity(millicores: Int64(200 * scale)), memory: .gibibyte),
                                             limits: .none, replicas: 2 + index % 3, nodePool: "general"))
        }
        let nodes = (0..<4).map { index in
            NodeRecord(name: "general-\(index)", nodePool: "general", zone: "zone-a", instanceType: "m6i.xlarge",
                       allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 3_920), memory: MemoryQuantity(bytes: 15 << 30)),
                       capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 4_000), memory: MemoryQuantity(bytes: 16 << 30)))
        }
        try store.ingest(CollectedBatch(source: "bench", usage: usage, inventory: inventory, rawSampleCount: usage.count * 20,
                                        cluster: ClusterObjects(observedAt: end - 600, nodes: nodes)))
        let catalog = PriceCatalog(nodeTypes: [CatalogNodeType(name: "m6i.xlarge", vcpu: 4, memoryGiB: 16, maxPods: 58, onDemand: 192_000)],
                                   units: .openCostDefaults)
        return try await Engine(store: store, selecting: nil).assess(AssessmentConfiguration(catalog: catalog), now: now)
    }

    /// The service's router on 127.0.0.1 (a free port) for `body`, which gets its base URL.
    static func withServer<T: Sendable>(state: ServeState, _ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = ServeRouter.router(state: state, trigger: CycleTrigger(), options: .init(token: nil, stalenessSeconds: 3_600, now: { now }))
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let application = Application(router: router, server: RequestLimits().server, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw Failure(description: "the server reported no port") }
            let result: T
            do { result = try await body("http://127.0.0.1:\(port)") } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}
