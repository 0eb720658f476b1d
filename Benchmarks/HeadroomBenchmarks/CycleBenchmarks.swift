import Benchmark
import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomRecommend
import HeadroomTesting

/// The service's cycle (`Engine.assess` with advice kept in the store, as `headroom serve` runs
/// it) on a store of N containers × 14 days (HEADROOM_CYCLE_CONTAINERS, default 10,000):
/// - `advise` on the same store, every container computed (the CLI's path), before and after the
///   first cycle (`first_over_advise` divides by the faster);
/// - the first cycle (nothing kept yet);
/// - a steady cycle after 5 more minutes of usage for every container, inside its advice;
/// - a cycle of a new engine on the same store, as after a restart;
/// - HEADROOM_CYCLE_RUNS more steady cycles (default 200), each after 5 more minutes: resident
///   memory after each, and its slope (least squares, KiB per cycle).
/// Store creation and the new usage are outside the timings. One line of figures is appended to
/// HEADROOM_CYCLE_RESULTS (default `.build-bench/cycle-bench.txt`).
func cycleBenchmarks() {
    let environment = ProcessInfo.processInfo.environment
    let containers = environment["HEADROOM_CYCLE_CONTAINERS"].flatMap(Int.init) ?? 10_000
    let runs = environment["HEADROOM_CYCLE_RUNS"].flatMap(Int.init) ?? 200
    let milliseconds = BenchmarkMetric.custom("ms", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark("Service cycles, \(containers) containers × 14 days", configuration: .init(metrics: [milliseconds], warmupIterations: 0, maxIterations: 1)) { benchmark in
        // Whether this process runs two tasks at once (`measuredParallelism`): under the harness
        // alone, and on `BenchmarkWorkers`, where the rest runs.
        let harnessParallelism = try await measuredParallelism()
        try await onTwoWorkers {
            let parallelism = try await measuredParallelism()
            let directory = try TemporaryDirectory(prefix: "headroom-cycle-bench")
            defer { directory.remove() }
            let cluster = CycleBenchCluster(containers: containers)
            let store = try HistoryStore(path: directory.file("cycle.sqlite"))
            try cluster.fill(store)
            let catalog = CycleBenchCluster.catalog

            // CPU seconds (user + system, all threads) of the last `timed` body: with its wall time,
            // how busy the two workers were.
            var lastCPUSeconds = 0.0
            func timed(_ body: () async throws -> Void) async throws -> Double {
                let started = ContinuousClock.now
                let cpuBefore = processCPUSeconds()
                try await body()
                lastCPUSeconds = processCPUSeconds() - cpuBefore
                return seconds(since: started) * 1000
            }
            var plain = AdviceOptions()
            plain.jobs = 2
            let advise = try await timed { blackHole(try await Engine(store: store, cluster: cluster.name).advise(plain, catalog: catalog)) }
            let adviseCPU = lastCPUSeconds

            // One service process: the hours and the advice kept in memory live as long as it does.
            var hours = UsageHoursCache()
            var recentCPU = RecentCPUCache()
            var reuse = AdviceReuse(maxAgeSeconds: 6 * 3_600)
            func configuration() -> AssessmentConfiguration {
                var configuration = AssessmentConfiguration(catalog: catalog)
                configuration.advice.jobs = 2
                configuration.advice.reuse = reuse
                configuration.usageHours = hours
                configuration.recentCPU = recentCPU
                return configuration
            }
            var end = cluster.end
            let engine = Engine(store: store, cluster: cluster.name)
            // What a first cycle adds to the advice: the allocation read whole (nothing kept yet).
            let coldAllocationMs = try await timed { blackHole(try await engine.allocation(sinceSeconds: 30 * 86_400, catalog: catalog, cache: UsageHoursCache()).hours) }
            let first = configuration()
            let firstMs = try await timed { blackHole(try await engine.assess(first, now: end + 60)) }
            let firstCPU = lastCPUSeconds
            // `advise` again, after the first cycle: the first run of anything pays for cold caches,
            // so the comparison takes the faster of the two.
            let adviseAgain = try await timed { blackHole(try await Engine(store: store, cluster: cluster.name).advise(plain, catalog: catalog)) }
            let adviseAgainCPU = lastCPUSeconds

            _ = try store.ingest(cluster.usage(at: end))
            end += 300
            let steady = configuration()
            let steadyMs = try await timed { blackHole(try await engine.assess(steady, now: end + 60)) }
            // The counts belong to the process's reuse, which later cycles update.
            let steadyCounts = (reused: reuse.counts.reused, computed: reuse.counts.computed, decoded: reuse.counts.decoded)

            // The advice part of a steady cycle alone (every container's advice kept): the rest of the
            // cycle is allocation, budgets, reclamation, node plans and freshness, computed each time.
            let adviceOnly = configuration()
            let steadyAdviceMs = try await timed { blackHole(try await engine.advise(adviceOnly.advice, catalog: catalog)) }

            let allocationMs = try await timed { blackHole(try await engine.allocation(sinceSeconds: 30 * 86_400, catalog: catalog, cache: hours).hours) }

            // A restart: the store's advice cache survives, what was kept in memory does not.
            hours = UsageHoursCache()
            recentCPU = RecentCPUCache()
            reuse = AdviceReuse(maxAgeSeconds: 6 * 3_600)
            let restarted = configuration()
            let restartMs = try await timed { blackHole(try await Engine(store: store, cluster: cluster.name).assess(restarted, now: end + 60)) }

            var resident: [Double] = [], anonymous: [Double] = []
            var steadyTotal = 0.0, recomputed = 0
            for _ in 0..<runs {
                _ = try store.ingest(cluster.usage(at: end))
                end += 300
                let cycle = configuration()
                steadyTotal += try await timed { blackHole(try await engine.assess(cycle, now: end + 60)) }
                recomputed += cycle.advice.reuse?.counts.computed ?? 0
                resident.append(Double(residentBytes()) / 1024)
                anonymous.append(Double(anonymousResidentKiB()))
            }
            let slope = leastSquaresSlope(resident)
            // Whether growth levels off: the slope of the second half alone, and every 20th cycle.
            let secondHalf = leastSquaresSlope(Array(resident.suffix(resident.count / 2)))
            let trajectory = stride(from: 0, to: resident.count, by: 20).map { String(Int(resident[$0] / 1024)) }.joined(separator: ",")
            benchmark.measurement(milliseconds, Int(steadyMs))
            let line = """
                cycle-bench containers=\(containers) parallelism=\(String(format: "%.2f", parallelism)) harness_parallelism=\(String(format: "%.2f", harnessParallelism)) advise_ms=\(Int(advise)) advise_again_ms=\(Int(adviseAgain)) first_ms=\(Int(firstMs)) \
                first_over_advise=\(String(format: "%.3f", firstMs / min(advise, adviseAgain))) \
                steady_ms=\(Int(steadyMs)) steady_reused=\(steadyCounts.reused) steady_computed=\(steadyCounts.computed) steady_decoded=\(steadyCounts.decoded) \
                restart_ms=\(Int(restartMs)) steady_over_first=\(String(format: "%.1f", steadyMs / firstMs * 100))% \
                runs=\(runs) mean_run_ms=\(runs > 0 ? Int(steadyTotal / Double(runs)) : 0) recomputed_in_runs=\(recomputed) \
                rss_first_kib=\(Int(resident.first ?? 0)) rss_last_kib=\(Int(resident.last ?? 0)) rss_slope_kib_per_cycle=\(String(format: "%.2f", slope)) \
                rss_second_half_slope_kib_per_cycle=\(String(format: "%.2f", secondHalf)) rss_every_20_cycles_mib=\(trajectory) \
                anon_first_kib=\(Int(anonymous.first ?? 0)) anon_last_kib=\(Int(anonymous.last ?? 0)) anon_slope_kib_per_cycle=\(String(format: "%.2f", leastSquaresSlope(anonymous))) \
                steady_advice_ms=\(Int(steadyAdviceMs)) allocation_ms=\(Int(allocationMs)) cold_allocation_ms=\(Int(coldAllocationMs)) \
                advise_cpu_s=\(String(format: "%.1f", adviseCPU)) advise_again_cpu_s=\(String(format: "%.1f", adviseAgainCPU)) first_cpu_s=\(String(format: "%.1f", firstCPU)) \
                advise_cores=\(String(format: "%.2f", adviseCPU * 1000 / advise)) first_cores=\(String(format: "%.2f", firstCPU * 1000 / firstMs))
                """
            // The harness runs this in a child whose output it does not show: the figures go to a file.
            // Appended, so runs in a row (A/B pairs) all stay on record.
            let results = environment["HEADROOM_CYCLE_RESULTS"] ?? ".build-bench/cycle-bench.txt"
            let previous = (try? String(contentsOfFile: results, encoding: .utf8)) ?? ""
            try (previous + line + "\n").write(toFile: results, atomically: true, encoding: .utf8)
        }
    }
}

/// How many tasks this process runs at once: two equal spins on `parallelMap`'s two workers
/// against one alone (1.0: one core; 2.0: both).
func measuredParallelism() async throws -> Double {
    let oneStart = ContinuousClock.now
    blackHole(spinForBenchmark())
    let one = seconds(since: oneStart)
    let pairStart = ContinuousClock.now
    blackHole(try await parallelMap([0, 1], jobs: 2) { _ in spinForBenchmark() })
    return 2 * one / seconds(since: pairStart)
}

/// About half a second of arithmetic that the optimizer cannot drop.
func spinForBenchmark() -> Int {
    var state = 0
    for step in 0..<300_000_000 { state = state &+ (step &* 2_654_435_761) ^ (state >> 3) }
    return state
}

/// User + system CPU seconds of this process so far, every thread (`getrusage`).
func processCPUSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Resident set size of this process, bytes (`/proc/self/statm`).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}

/// Anonymous resident memory of this process (heap and stacks, not mapped files), KiB
/// (`RssAnon` in `/proc/self/status`).
func anonymousResidentKiB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }) else { return 0 }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
}

/// Least-squares slope of `values` against their index.
func leastSquaresSlope(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let count = Double(values.count)
    let meanX = (count - 1) / 2, meanY = values.reduce(0, +) / count
    var numerator = 0.0, denominator = 0.0
    for (index, value) in values.enumerated() {
        numerator += (Double(index) - meanX) * (value - meanY)
        denominator += (Double(index) - meanX) * (Double(index) - meanX)
    }
    return numerator / denominator
}

/// A cluster of `containers` single-container Deployments in 20 namespaces and 3 pools, 14 days
/// of 5-minute usage each (daily cycles, weekends lower), requests at twice the typical use.
struct CycleBenchCluster {
    let containers: Int
    let name = "bench"
    let end: Int64 = 1_795_392_000
    let days = 14
    static let catalog = PriceCatalog(nodeTypes: [CatalogNodeType(name: "m6i.2xlarge", vcpu: 8, memoryGiB: 32, maxPods: 58, onDemand: 384_000)],
                                      units: .openCostDefaults)
    static let pools = ["frontend", "backend", "data"]

    func id(_ index: Int) -> ContainerID {
        ContainerID(cluster: name, namespace: "ns\(index % 20)", kind: .deployment, workload: "w\(index)", container: "app")
    }

    /// CPU millicores and memory bytes of container `index` at 5-minute step `step` from the start.
    func usage(_ index: Int, step: Int) -> (cpu: Double, memory: Double) {
        let amplitude = 5 + Double(index % 30)
        let day = sin(2 * Double.pi * Double(step) / 288)
        let weekend = (step / 288) % 7 >= 5 ? 0.6 : 1.0
        let noise = Double((index &* 31 &+ step &* 17) % 7) - 3
        let cpu = max(1, (40 + amplitude * day) * weekend + noise) * Double(1 + index % 5)
        let memory = (200 + Double(index % 50) * 10 + 20 * day) * 1_048_576
        return (cpu, memory)
    }

    func bucket(_ container: ContainerID, _ resource: ResourceKind, _ value: Double, at time: Int64) -> UsageBucket {
        UsageBucket(container: container, resource: resource, stats: BucketStats(
            start: time, count: 20, mean: value, max: value * 1.2, firstSampleMillis: time * 1000, lastSampleMillis: time * 1000 + 285_000))
    }

    /// 5 minutes of usage for every container from `time`, within the history's range of values.
    func usage(at time: Int64) -> CollectedBatch {
        let step = Int((time - (end - Int64(days) * 86_400)) / 300)
        var usage: [UsageBucket] = []
        for index in 0..<containers {
            let (cpu, memory) = self.usage(index, step: step % (days * 288))
            usage.append(bucket(id(index), .cpu, cpu, at: time))
            usage.append(bucket(id(index), .memory, memory, at: time))
        }
        return CollectedBatch(source: "bench", usage: usage, rawSampleCount: usage.count * 20)
    }

    /// The whole history, inventory and nodes, in batches of 100 containers.
    func fill(_ store: HistoryStore) throws {
        let start = end - Int64(days) * 86_400
        for first in stride(from: 0, to: containers, by: 100) {
            var usage: [UsageBucket] = []
            var inventory: [InventoryRecord] = []
            for index in first..<min(first + 100, containers) {
                let container = id(index)
                for step in 0..<(days * 288) {
                    let (cpu, memory) = self.usage(index, step: step)
                    let time = start + Int64(step) * 300
                    usage.append(bucket(container, .cpu, cpu, at: time))
                    usage.append(bucket(container, .memory, memory, at: time))
                }
                let typical = self.usage(index, step: 0)
                inventory.append(InventoryRecord(
                    container: container, observedAt: start,
                    requests: ResourceAmounts(cpu: CPUQuantity(millicores: Int64(typical.cpu * 2) + 10), memory: MemoryQuantity(bytes: Int64(typical.memory * 2))),
                    limits: .none, replicas: 1 + index % 3, nodePool: Self.pools[index % 3]))
            }
            _ = try store.ingest(CollectedBatch(source: "bench", usage: usage, inventory: inventory, rawSampleCount: usage.count * 20))
        }
        // Enough m6i.2xlarge nodes for twice the requests.
        let nodesPerPool = max(2, containers / 30)
        let nodes = Self.pools.flatMap { pool in
            (0..<nodesPerPool).map { index in
                NodeRecord(name: "\(pool)-\(index)", nodePool: pool, zone: "zone-\(index % 3)", instanceType: "m6i.2xlarge",
                           allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 7_910), memory: MemoryQuantity(bytes: 30 << 30)),
                           capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 8_000), memory: MemoryQuantity(bytes: 32 << 30)))
            }
        }
        _ = try store.ingest(CollectedBatch(source: "bench", cluster: ClusterObjects(observedAt: end - 600, nodes: nodes, cluster: name)))
    }
}
