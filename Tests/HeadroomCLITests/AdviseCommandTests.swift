import Foundation
import HeadroomTesting
import Testing

/// `headroom advise` on two weeks of the demo cluster.
@Suite struct AdviseCommandTests {
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
            var container: Container
            var current: Configuration
            var recommended: Configuration
            var notes: [String]
        }
        struct Pool: Decodable {
            struct Plan: Decodable { var nodes: Int; var lowerBound: Int; var monthlyMicrodollars: Int64 }
            var pool: String
            var current: Plan
            var recommended: Plan
        }
        var containers: [Row]
        var pools: [Pool]
    }

    @Test("over-provisioned requests shrink, the leak is flagged, the idle workload named, and no recommendation OOMs more")
    func demo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = DemoClusterGenerator.Options()
        options.days = 21
        options.sampleInterval = 300
        let csv = directory.file("demo.csv")
        try DemoCSVWriter.write(DemoClusterGenerator(options: options), to: csv)
        let binary = try ChildProcess.headroomBinary()
        let store = directory.file("h.sqlite")
        #expect(try await ChildProcess.run(binary, ["import", "--db", store, csv]).status == 0)
        let result = try await ChildProcess.run(binary, ["advise", "--db", store, "-o", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        func row(_ namespace: String, _ name: String) throws -> Report.Row {
            try #require(report.containers.first { $0.container.workload.namespace == namespace && $0.container.workload.name == name })
        }
        let redis = try row("production", "redis")
        #expect(redis.recommended.monthlyMicrodollars < redis.current.monthlyMicrodollars / 2)
        let replica = try row("production", "postgres-replica")
        #expect(replica.recommended.requests.cpu != "2")
        #expect(try row("production", "payment-processor").notes.contains { $0.hasPrefix("OOM-killed") })
        #expect(try row("development", "user-service").notes.contains { $0.hasPrefix("idle") })
        for row in report.containers {
            #expect(row.recommended.risk.oomBuckets <= row.current.risk.oomBuckets, "\(row.container.workload.namespace)/\(row.container.workload.name)")
        }
        let before = report.containers.reduce(0) { $0 + $1.current.monthlyMicrodollars }
        let after = report.containers.reduce(0) { $0 + $1.recommended.monthlyMicrodollars }
        #expect(after < before)
        #expect(Set(report.pools.map(\.pool)) == ["frontend", "backend", "data", "staging-general", "development-general"])

        // The upstream-parity strategy answers from the same history, with its bounds in the notes.
        let vpa = try await ChildProcess.run(binary, ["advise", "--db", store, "--strategy", "vpa", "-o", "json"])
        #expect(vpa.status == 0, "\(vpa.stderr)")
        let vpaReport = try JSONDecoder().decode(Report.self, from: Data(vpa.stdout.utf8))
        #expect(vpaReport.containers.allSatisfy { $0.notes.contains { $0.hasPrefix("VPA bounds") } })
        let vpaRedis = try #require(vpaReport.containers.first { $0.container.workload.namespace == "production" && $0.container.workload.name == "redis" })
        #expect(vpaRedis.recommended.monthlyMicrodollars < vpaRedis.current.monthlyMicrodollars)
        for pool in report.pools {
            #expect(pool.recommended.nodes >= pool.recommended.lowerBound)
            #expect(pool.recommended.monthlyMicrodollars <= pool.current.monthlyMicrodollars, "\(pool.pool)")
        }
    }
}
