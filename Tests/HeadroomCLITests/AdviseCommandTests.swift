import Foundation
import HeadroomDemo
import HeadroomTesting
import Testing

/// `headroom advise` on three weeks of the demo cluster (plus a node agent DaemonSet).
@Suite(.serialized) struct AdviseCommandTests {
    struct Report: Decodable {
        struct Row: Decodable {
            struct Container: Decodable {
                struct Workload: Decodable { var namespace: String; var name: String }
                var workload: Workload
            }
            struct Configuration: Decodable {
                struct Amounts: Decodable { var cpu: String?; var memory: String? }
                struct Risk: Decodable { var oomBuckets: Int; var cpuPressureMinutes: Int }
                var requests: Amounts
                var risk: Risk
                var monthlyMicrodollars: Int64
            }
            struct HPA: Decodable {
                struct Configuration: Decodable { var minReplicas: Int; var maxReplicas: Int; var targetUtilization: Double }
                struct Outcome: Decodable { var saturatedFraction: Double; var replicaHours: Double; var shortfallMinutes: Double; var peakReplicas: Int }
                var current: Configuration?
                var currentOutcome: Outcome?
                var recommended: Configuration
                var recommendedOutcome: Outcome
                var meetsRequirement: Bool
                var predictiveMinReplicas: [Int]
            }
            var container: Container
            var current: Configuration
            var recommended: Configuration
            var hpa: HPA?
            var notes: [String]
        }
        struct Pool: Decodable {
            struct Plan: Decodable { var nodes: Int; var lowerBound: Int; var monthlyMicrodollars: Int64 }
            struct Amounts: Decodable { var cpu: String?; var memory: String? }
            var pool: String
            var daemonSetPods: Int
            var daemonSetOverhead: Amounts
            var current: Plan
            var recommended: Plan
        }
        var containers: [Row]
        var pools: [Pool]
        var prices: String

        func row(_ namespace: String, _ name: String) throws -> Row {
            try #require(containers.first { $0.container.workload.namespace == namespace && $0.container.workload.name == name })
        }
    }

    /// The demo history plus a `kube-system/node-agent` DaemonSet on the backend pool, imported into a new store.
    static func demoStore(_ directory: TemporaryDirectory) async throws -> (binary: String, store: String) {
        var options = DemoClusterGenerator.Options()
        options.days = 21
        options.sampleInterval = 300
        let csv = directory.file("demo.csv")
        try DemoCSVWriter.write(DemoClusterGenerator(options: options), to: csv)
        var agent = DemoCSVWriter.header + "\n"
        for step in 0..<(21 * 288) {
            let time = options.end - Int64(21 * 86_400) + Int64(step) * 300
            agent += "\(time),terrafusion,kube-system,DaemonSet,node-agent,agent,node-agent-x1,0.040,90000000,0.100,268435456,,,3,backend,us-east-1a,,,,,app=node-agent;team=platform\n"
        }
        let agentCSV = directory.file("agent.csv")
        try agent.write(toFile: agentCSV, atomically: true, encoding: .utf8)
        let binary = try ChildProcess.headroomBinary()
        let store = directory.file("h.sqlite")
        let imported = try await ChildProcess.run(binary, ["import", "--db", store, csv, agentCSV])
        #expect(imported.status == 0, "\(imported.stderr)")
        return (binary, store)
    }

    @Test("requests shrink, the leak is flagged, the idle workload named, HPAs replayed, DaemonSets counted, manifests valid, overrides applied")
    func demo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (binary, store) = try await Self.demoStore(directory)
        let manifests = directory.file("manifests")
        let result = try await ChildProcess.run(binary, ["advise", "--db", store, "-o", "json", "--manifests", manifests])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))

        let redis = try report.row("production", "redis")
        #expect(redis.recommended.monthlyMicrodollars < redis.current.monthlyMicrodollars / 2)
        #expect(try report.row("production", "postgres-replica").recommended.requests.cpu != "2")
        #expect(try report.row("production", "payment-processor").notes.contains { $0.hasPrefix("OOM-killed") })
        #expect(try report.row("development", "user-service").notes.contains { $0.hasPrefix("idle") })
        for row in report.containers {
            #expect(row.recommended.risk.oomBuckets <= row.current.risk.oomBuckets, "\(row.container.workload.namespace)/\(row.container.workload.name)")
        }
        #expect(report.containers.reduce(0) { $0 + $1.recommended.monthlyMicrodollars } < report.containers.reduce(0) { $0 + $1.current.monthlyMicrodollars })

        // HPAs: every CPU HPA is replayed; the recommendation meets the 99 % requirement and its
        // CPU request is the current one (the HPA's target keeps its meaning).
        let gateway = try report.row("production", "api-gateway")
        let hpa = try #require(gateway.hpa)
        #expect(hpa.current?.minReplicas == 3 && hpa.current?.maxReplicas == 5)
        #expect(hpa.meetsRequirement && hpa.recommendedOutcome.saturatedFraction <= 0.01)
        #expect(hpa.recommended.maxReplicas >= hpa.recommendedOutcome.peakReplicas)
        #expect(gateway.recommended.requests.cpu == gateway.current.requests.cpu)
        // The gateway's daily cycle gives a schedule that differs by hour of week.
        #expect(hpa.predictiveMinReplicas.count == 168 && Set(hpa.predictiveMinReplicas).count > 1)
        #expect(report.containers.filter { $0.hpa != nil }.count >= 6)
        #expect(report.containers.allSatisfy { $0.container.workload.name != "postgres-primary" || $0.hpa == nil })

        // The node agent is overhead on the backend pool's nodes, not a pod to pack.
        let backend = try #require(report.pools.first { $0.pool == "backend" })
        #expect(backend.daemonSetPods == 1)
        #expect(backend.daemonSetOverhead.cpu == (try report.row("kube-system", "node-agent")).recommended.requests.cpu)
        #expect(report.pools.first { $0.pool == "data" }?.daemonSetPods == 0)
        #expect(Set(report.pools.map(\.pool)) == ["frontend", "backend", "data", "staging-general", "development-general"])
        for pool in report.pools { #expect(pool.recommended.nodes >= pool.recommended.lowerBound) }

        // Manifests: HPAs for the HPA workloads, a VPA (updateMode Off) and a patch for every workload, all valid.
        let hpaFile = try String(contentsOfFile: "\(manifests)/production/api-gateway.hpa.yaml", encoding: .utf8)
        #expect(hpaFile.contains("averageUtilization: \(Int((hpa.recommended.targetUtilization * 100).rounded()))"))
        let vpaFile = try String(contentsOfFile: "\(manifests)/production/redis.vpa.yaml", encoding: .utf8)
        #expect(vpaFile.contains("updateMode: \"Off\"") && vpaFile.contains("memory: \"\(redis.recommended.requests.memory!)\""))
        #expect(FileManager.default.fileExists(atPath: "\(manifests)/production/redis.patch.yaml"))
        #expect(!FileManager.default.fileExists(atPath: "\(manifests)/production/redis.hpa.yaml"))
        let validation = try await ChildProcess.run(Self.script("validate-manifests"), [manifests])
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
        #expect(validation.stdout.contains("0 failed"))

        // The validator can fail: a string where the schema wants an integer, an unknown VPA mode.
        try hpaFile.replacingOccurrences(of: "minReplicas: ", with: "minReplicas: \"2\"\n  x: ")
            .write(toFile: "\(manifests)/production/api-gateway.hpa.yaml", atomically: true, encoding: .utf8)
        try vpaFile.replacingOccurrences(of: "updateMode: \"Off\"", with: "updateMode: \"Sometimes\"")
            .write(toFile: "\(manifests)/production/redis.vpa.yaml", atomically: true, encoding: .utf8)
        let broken = try await ChildProcess.run(Self.script("validate-manifests"), [manifests])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("api-gateway.hpa.yaml") && broken.stderr.contains("redis.vpa.yaml"), "\(broken.stderr)")

        try await overrides(binary: binary, store: store, directory: directory)
    }

    /// Overrides from a file change the policy of the workloads they match; a bad file fails with
    /// its line; the vpa strategy answers from the same store (advise only reads it).
    func overrides(binary: String, store: String, directory: TemporaryDirectory) async throws {
        let file = directory.file("overrides.yaml")
        try """
            overrides:
              - workload: redis
                min-memory: 3Gi
                cpu-limit: ratio:2
            """.write(toFile: file, atomically: true, encoding: .utf8)
        // Price terms reach the node plans: at half price, the same plan costs half.
        let terms = directory.file("terms.yaml")
        try "currency: USD\ndiscountPercent: 50\n".write(toFile: terms, atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run(binary, ["advise", "--db", store, "-o", "json", "--namespace", "production", "--overrides", file, "--prices", terms])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(try report.row("production", "redis").recommended.requests.memory == "3Gi")
        #expect(try report.row("production", "postgres-primary").recommended.requests.memory != "3Gi")
        let backend = try #require(report.pools.first { $0.pool == "backend" })
        #expect(backend.current.monthlyMicrodollars == Int64(3 * 42_500 * 730), "3 × c6i.large at half of $0.085")
        #expect(report.prices == "list prices with your terms: 50 % discount")

        try "overrides:\n  - workload: redis\n    quantile: 2\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try await ChildProcess.run(binary, ["advise", "--db", store, "--overrides", file])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(file):3:"), "\(bad.stderr)")

        // A wider CPU risk asks for no more CPU anywhere, and for less somewhere; a risk of 0 is refused.
        let wider = try await ChildProcess.run(binary, ["advise", "--db", store, "--cpu-risk", "5%", "-o", "json"])
        #expect(wider.status == 0, "\(wider.stderr)")
        let widerReport = try JSONDecoder().decode(Report.self, from: Data(wider.stdout.utf8))
        func millicores(_ text: String?) -> Double {
            guard let text else { return 0 }
            return text.hasSuffix("m") ? Double(text.dropLast())! : Double(text)! * 1000
        }
        let pairs = zip(report.containers, widerReport.containers).map { (millicores($0.recommended.requests.cpu), millicores($1.recommended.requests.cpu)) }
        #expect(pairs.allSatisfy { $0.1 <= $0.0 } && pairs.contains { $0.1 < $0.0 }, "\(pairs)")
        let refused = try await ChildProcess.run(binary, ["advise", "--db", store, "--cpu-risk", "0"])
        #expect(refused.status == 2 && refused.stderr.contains("must be a risk above 0"), "\(refused.stderr)")

        // The upstream-parity strategy answers from the same history, with its bounds.
        let vpa = try await ChildProcess.run(binary, ["advise", "--db", store, "--namespace", "production", "--strategy", "vpa", "-o", "json"])
        #expect(vpa.status == 0, "\(vpa.stderr)")
        let vpaReport = try JSONDecoder().decode(Report.self, from: Data(vpa.stdout.utf8))
        #expect(vpaReport.containers.allSatisfy { $0.notes.contains { $0.hasPrefix("VPA bounds") } })
        let vpaRedis = try vpaReport.row("production", "redis")
        #expect(vpaRedis.recommended.monthlyMicrodollars < vpaRedis.current.monthlyMicrodollars)
    }

    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/\(name)").path
    }
}
