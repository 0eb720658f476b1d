import Foundation
import HeadroomCore
import HeadroomDemo
import HeadroomTesting
import Testing
import Yams

/// The demo cluster must hold what Headroom is meant to find; these tests read the generated
/// samples directly (no import), so they show the generator's own properties.
@Suite struct DemoClusterTests {
    /// Workload CPU (sum over pods, millicores) per 5-minute bucket, plus per-pod samples.
    struct Observed {
        var totalCPU: [Int64: Double] = [:]
        var podCPU: [Double] = []
        var podMemory: [Double] = []
        var oomTimes: [Int64] = []
    }

    static let history: [String: Observed] = {
        var observed: [String: Observed] = [:]
        DemoClusterGenerator().generate { sample in
            let key = "\(sample.workload.environment)/\(sample.workload.name)"
            let bucket = sample.time / 300 * 300
            // Average the bucket's samples per pod before summing pods: 2 samples per bucket.
            observed[key, default: Observed()].totalCPU[bucket, default: 0] += sample.cpuMillicores / 2
            observed[key, default: Observed()].podCPU.append(sample.cpuMillicores)
            observed[key, default: Observed()].podMemory.append(sample.memoryBytes)
            if sample.oomKilled { observed[key, default: Observed()].oomTimes.append(sample.time) }
        }
        return observed
    }()

    let start = DemoClusterGenerator().start
    let end = DemoClusterGenerator.Options().end

    func mean(_ values: some Sequence<Double>) -> Double {
        var sum = 0.0
        var count = 0
        for value in values { sum += value; count += 1 }
        return sum / Double(max(count, 1))
    }

    @Test("the same seed gives the same bytes; another seed gives other data")
    func deterministic() {
        var options = DemoClusterGenerator.Options()
        options.days = 1
        let first = DemoCSVWriter.render(DemoClusterGenerator(options: options))
        #expect(first == DemoCSVWriter.render(DemoClusterGenerator(options: options)))
        options.seed = 99
        #expect(first != DemoCSVWriter.render(DemoClusterGenerator(options: options)))
    }

    @Test("21 days of 5-minute history for every environment")
    func coverage() throws {
        #expect(Set(DemoCluster.workloads.map(\.environment)) == ["production", "staging", "development"])
        let api = try #require(Self.history["production/api-gateway"])
        #expect(api.totalCPU.count == 21 * 288)
        #expect(api.totalCPU.keys.min() == start && api.totalCPU.keys.max() == end - 300)
    }

    @Test("business hours peak over the night, weekdays over weekends, and load grows")
    func cycles() throws {
        let api = try #require(Self.history["production/api-gateway"]).totalCPU
        let weekdays = api.filter { LoadShape.weekday($0.key) < 4 }
        let afternoon = mean(weekdays.filter { (13..<15).contains(LoadShape.hourOfDay($0.key)) }.values)
        let night = mean(weekdays.filter { (2..<4).contains(LoadShape.hourOfDay($0.key)) }.values)
        #expect(afternoon > 2 * night)
        let weekday = mean(api.filter { LoadShape.weekday($0.key) < 5 }.values)
        let weekend = mean(api.filter { LoadShape.weekday($0.key) >= 5 }.values)
        #expect(weekday > 1.5 * weekend)
        let firstWeek = mean(api.filter { $0.key < start + 7 * 86_400 }.values)
        let lastWeek = mean(api.filter { $0.key >= end - 7 * 86_400 }.values)
        #expect(lastWeek > 1.05 * firstWeek)
    }

    @Test("bursts stand out from the same time a week earlier")
    func bursts() throws {
        let api = try #require(Self.history["production/api-gateway"]).totalCPU
        let bursts = api.filter { bucket, value in
            guard let lastWeek = api[bucket - 7 * 86_400] else { return false }
            return value > 1.5 * lastWeek
        }
        #expect(bursts.count >= 3)
    }

    @Test("the production payment processor leaks memory into repeated OOM kills from day 14")
    func memoryLeak() throws {
        let payment = try #require(Self.history["production/payment-processor"])
        #expect(payment.oomTimes.count >= 3)
        #expect(payment.oomTimes.allSatisfy { $0 >= start + 14 * 86_400 })
        let others = DemoCluster.workloads.filter { $0.name != "payment-processor" || $0.environment != "production" }
        #expect(others.allSatisfy { Self.history["\($0.environment)/\($0.name)"]?.oomTimes.isEmpty == true })
    }

    @Test("the development user service is idle for the last week only")
    func idleWorkload() throws {
        let users = try #require(Self.history["development/user-service"]).totalCPU
        let lastWeek = users.filter { $0.key >= end - 7 * 86_400 }.values
        let before = users.filter { $0.key < end - 7 * 86_400 }.values
        #expect(lastWeek.allSatisfy { $0 < 2 })
        #expect(mean(before) > 5)
    }

    @Test("several requests are over-provisioned (P95 under half the request)")
    func overProvisioned() throws {
        func p95(_ values: [Double]) -> Double { Percentile.of(values, 0.95)! }
        let users = try #require(Self.history["production/user-service"])
        #expect(p95(users.podCPU) < 0.5 * 250)
        let redis = try #require(Self.history["production/redis"])
        #expect(p95(redis.podMemory) < 0.5 * 2 * 1_073_741_824)
        #expect(p95(redis.podCPU) < 0.5 * 500)
        let replica = try #require(Self.history["production/postgres-replica"])
        #expect(p95(replica.podCPU) < 0.5 * 2000)
        // …while the API gateway is sized about right.
        let api = try #require(Self.history["production/api-gateway"])
        #expect(p95(api.podCPU) > 0.5 * 500)
    }

    @Test("plan.yaml declares what the generator runs")
    func planMatchesGenerator() throws {
        struct Plan: Decodable {
            struct Environment: Decodable {
                struct Workload: Decodable {
                    struct Range: Decodable { var min: Int; var max: Int }
                    struct Amounts: Decodable { var cpu: CPUQuantity; var memory: MemoryQuantity }
                    struct Volume: Decodable { var size: MemoryQuantity }
                    var name: String
                    var kind: String
                    var container: String
                    var replicas: Range
                    var requests: Amounts
                    var limits: Amounts
                    var nodePool: String
                    var volume: Volume?
                }
                var name: String
                var workloads: [Workload]
            }
            var environments: [Environment]
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("fixtures/terrafusion/plan.yaml"), encoding: .utf8)
        let plan = try YAMLDecoder().decode(Plan.self, from: text)
        let declared = plan.environments.flatMap { environment in
            environment.workloads.map { "\(environment.name)/\($0.name)/\($0.kind)/\($0.container)/\($0.replicas.min)-\($0.replicas.max)/\($0.requests.cpu)/\($0.requests.memory)/\($0.limits.cpu)/\($0.limits.memory)/\($0.nodePool)/\($0.volume?.size.canonical ?? "-")" }
        }
        let generated = DemoCluster.workloads.map { spec in
            "\(spec.environment)/\(spec.name)/\(spec.kind.rawValue)/\(spec.container)/\(spec.minReplicas)-\(spec.maxReplicas)/\(spec.request.cpu!)/\(spec.request.memory!)/\(spec.limit.cpu!)/\(spec.limit.memory!)/\(spec.nodePool)/\(spec.volume?.canonical ?? "-")"
        }
        #expect(declared == generated)
    }
}
