import Foundation
import HeadroomDemo
import HeadroomTesting
import Testing

/// The cost model on the demo cluster: allocation, reports, budgets, reclamation and the plan estimate.
@Suite struct CostCommandTests {
    struct Digests: Decodable {
        struct Table: Decodable { var table: String; var rows: Int; var digest: String }
        var tables: [Table]
    }
    struct Allocation: Decodable {
        struct Pool: Decodable { var day: Int64; var pool: String; var nodeMicrodollars: Int64; var idleCPUMicrodollars: Int64; var idleRAMMicrodollars: Int64 }
        struct Container: Decodable {
            struct ID: Decodable { struct Workload: Decodable { var namespace: String; var name: String }; var workload: Workload }
            var container: ID
            var day: Int64
            var pool: String?
            var cpuMicrodollars: Int64
            var ramMicrodollars: Int64
            var pvMicrodollars: Int64
        }
        var pools: [Pool]
        var containers: [Container]
    }
    struct Budget: Decodable {
        struct Result: Decodable {
            struct Quota: Decodable { var flags: [String]; var quotaMonthlyMax: Int64?; var recommendedQuotaMonthly: Int64 }
            struct Projection: Decodable { var monthToDate: Int64; var p10: Int64; var p50: Int64; var p90: Int64 }
            var budget: String
            var status: String
            var projection: Projection
            var quota: Quota
        }
        var budgets: [Result]
    }
    struct Reclaim: Decodable {
        struct Item: Decodable { var kind: String; var target: String; var monthlySavingMicrodollars: Int64; var patchFile: String?; var evidence: String }
        var auditID: Int64?
        var items: [Item]
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("allocation adds up to the micro-dollar, re-runs store nothing twice, budgets exit 3 when breached, reclaim names the idle and the over-provisioned")
    func demo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        let binary = demo.binary
        func run(_ arguments: [String]) async throws -> ChildProcess.Result { try await demo.run(arguments) }
        let imported = try await run(["import"] + demo.files)
        #expect(imported.status == 0, "\(imported.stderr)")

        // Allocation: per pool and day, containers + idle = node cost exactly.
        let allocated = try await run(["cost", "allocate", "-o", "json"])
        #expect(allocated.status == 0, "\(allocated.stderr)")
        let allocation = try JSONDecoder().decode(Allocation.self, from: Data(allocated.stdout.utf8))
        #expect(allocation.pools.count == 5 * 21)
        for pool in allocation.pools {
            let charged = allocation.containers.filter { $0.pool == pool.pool && $0.day == pool.day }.reduce(Int64(0)) { $0 + $1.cpuMicrodollars + $1.ramMicrodollars }
            #expect(charged + pool.idleCPUMicrodollars + pool.idleRAMMicrodollars == pool.nodeMicrodollars, "\(pool.pool) \(pool.day)")
            #expect(pool.idleCPUMicrodollars >= 0 && pool.idleRAMMicrodollars >= 0)
        }
        // The backend pool: 3 × c6i.large at $0.085/h for 24 hours.
        #expect(allocation.pools.first { $0.pool == "backend" }?.nodeMicrodollars == Int64(3 * 85_000 * 24))

        func digests() async throws -> [String: String] {
            let stats = try await run(["db", "stats", "-o", "json"])
            return Dictionary(uniqueKeysWithValues: try JSONDecoder().decode(Digests.self, from: Data(stats.stdout.utf8)).tables.map { ($0.table, "\($0.rows)/\($0.digest)") })
        }
        let before = try await digests()
        #expect(try await run(["cost", "allocate"]).status == 0)
        #expect(try await digests() == before, "a second allocation of the same window changed the store")

        // Reports: by namespace and by the team label, the same total; volumes on their workloads, the released one apart.
        struct Report: Decodable {
            struct Line: Decodable { var name: String; var totalMicrodollars: Int64 }
            struct Volume: Decodable { var volume: String; var microdollars: Int64 }
            var lines: [Line]
            var unattachedVolumes: [Volume]
        }
        let byNamespace = try JSONDecoder().decode(Report.self, from: Data(try await run(["cost", "report", "-o", "json"]).stdout.utf8))
        let byTeam = try JSONDecoder().decode(Report.self, from: Data(try await run(["cost", "report", "--by", "label:team", "-o", "json"]).stdout.utf8))
        #expect(Set(byTeam.lines.map(\.name)) == ["web", "platform", "accounts", "payments", "data"])
        #expect(byTeam.lines.reduce(0) { $0 + $1.totalMicrodollars } == byNamespace.lines.reduce(0) { $0 + $1.totalMicrodollars })
        #expect(byNamespace.unattachedVolumes.map(\.volume) == ["pvc-5e1d0a7b"])

        // The fleet form over the store's one cluster: its report, and the sum is that report's total.
        struct Fleet: Decodable {
            struct Cluster: Decodable { var cluster: String; var totalMicrodollars: Int64; var report: Report }
            var clusters: [Cluster]
        }
        let fleetRun = try await run(["cost", "report", "--clusters", "all", "-o", "json"])
        #expect(fleetRun.status == 0, "\(fleetRun.stderr)")
        let fleet = try JSONDecoder().decode(Fleet.self, from: Data(fleetRun.stdout.utf8))
        #expect(fleet.clusters.count == 1 && fleet.clusters.first?.report.lines.map(\.totalMicrodollars) == byNamespace.lines.map(\.totalMicrodollars))
        let both = try await run(["cost", "report", "--clusters", "all", "--cluster", "x"])
        #expect(both.status == 2 && both.stderr.contains("--cluster and --clusters exclude each other"))
        // 200 GiB at $0.04 per GiB-month = $8 a month, 730 hours: 10,959 µ$ an hour, 24 hours a day.
        #expect(byNamespace.unattachedVolumes.first?.microdollars == Int64(21 * 24 * 10_959))
        let postgresVolumes = allocation.containers.filter { $0.container.workload.name == "postgres-replica" && $0.container.workload.namespace == "production" }
        #expect(postgresVolumes.allSatisfy { $0.pvMicrodollars == Int64(2 * 24 * 2_740) }, "two 50Gi volumes a day")

        // Bad price terms: file:line, exit 2, nothing written.
        let terms = directory.file("terms.yaml")
        try "currency: USD\nnodeTypes:\n  m9.giant: 0.5\n".write(toFile: terms, atomically: true, encoding: .utf8)
        let badTerms = try await run(["cost", "allocate", "--prices", terms])
        #expect(badTerms.status == 2 && badTerms.stderr.contains("\(terms):3: unknown instance type \"m9.giant\""), "\(badTerms.stderr)")
        #expect(try await digests() == before)

        // Budgets: generous → 0, small → 3; staging's quota permits overspending, development has none.
        let budgets = directory.file("budgets.yaml")
        try """
            budgets:
              - {name: production, namespace: production, monthlyUSD: 2000}
              - {name: staging, namespace: staging, monthlyUSD: 400}
              - {name: development, namespace: development, monthlyUSD: 300}
              - {name: payments-team, labels: {team: payments}, monthlyUSD: 100}
            """.write(toFile: budgets, atomically: true, encoding: .utf8)
        let generous = try await run(["budget", "check", "--budgets", budgets, "-o", "json"])
        #expect(generous.status == 0, "\(generous.stdout)\(generous.stderr)")
        let checked = try JSONDecoder().decode(Budget.self, from: Data(generous.stdout.utf8))
        let staging = try #require(checked.budgets.first { $0.budget == "staging" })
        #expect(staging.quota.flags.contains { $0.hasPrefix("quota allows overspending") })
        #expect(checked.budgets.first { $0.budget == "development" }?.quota.flags.first?.hasPrefix("no quota") == true)
        #expect(checked.budgets.first { $0.budget == "production" }?.quota.flags.contains { $0.hasPrefix("quota allows overspending") } == false)
        for result in checked.budgets {
            #expect(result.projection.monthToDate <= result.projection.p10 && result.projection.p10 <= result.projection.p50 && result.projection.p50 <= result.projection.p90)
        }
        // Sizing overrides reach the recommended quota: redis at 3Gi or more asks for more quota.
        let overrides = directory.file("overrides.yaml")
        try "overrides:\n  - workload: redis\n    min-memory: 3Gi\n".write(toFile: overrides, atomically: true, encoding: .utf8)
        let overridden = try JSONDecoder().decode(Budget.self, from: Data(try await run(["budget", "check", "--budgets", budgets, "-o", "json",
                                                                                        "--overrides", overrides]).stdout.utf8))
        let production = try #require(checked.budgets.first { $0.budget == "production" })
        #expect(try #require(overridden.budgets.first { $0.budget == "production" }).quota.recommendedQuotaMonthly > production.quota.recommendedQuotaMonthly)
        try "budgets:\n  - {name: production, namespace: production, monthlyUSD: 50}\n".write(toFile: budgets, atomically: true, encoding: .utf8)
        let small = try await run(["budget", "check", "--budgets", budgets])
        #expect(small.status == 3 && small.stdout.contains("breached"), "\(small.stdout)\(small.stderr)")
        try "budgets:\n  - name: production\n    namespace: production\n    monthlyUSD: -50\n".write(toFile: budgets, atomically: true, encoding: .utf8)
        let bad = try await run(["budget", "check", "--budgets", budgets])
        #expect(bad.status == 2 && bad.stderr.contains("\(budgets):4:") && bad.stderr.contains("negative"), "\(bad.stderr)")

        // Reclamation: the idle development service and over-provisioned services with dollar figures; audited.
        let out = directory.file("reclaim")
        let reclaimed = try await run(["reclaim", "-o", "json", "--write", out])
        #expect(reclaimed.status == 0, "\(reclaimed.stderr)")
        let plan = try JSONDecoder().decode(Reclaim.self, from: Data(reclaimed.stdout.utf8))
        let idle = try #require(plan.items.first { $0.kind == "idle workload" })
        #expect(idle.target.hasSuffix("development/Deployment/user-service") && idle.monthlySavingMicrodollars > 0)
        let volume = try #require(plan.items.first { $0.kind == "unattached volume" })
        #expect(volume.target.hasPrefix("volume pvc-5e1d0a7b") && volume.monthlySavingMicrodollars == 8_000_000)
        let redis = try #require(plan.items.first { $0.kind == "over-provisioned" && $0.target.hasSuffix("production/StatefulSet/redis") })
        #expect(redis.monthlySavingMicrodollars > 10_000_000)
        #expect(FileManager.default.fileExists(atPath: "\(out)/\(redis.patchFile!)") && FileManager.default.fileExists(atPath: "\(out)/commands.sh"))
        let audit = try await run(["reclaim", "--history", "-o", "json"])
        #expect(audit.status == 0 && audit.stdout.contains("\"items\" : \(plan.items.count)") && plan.auditID == 1, "\(audit.stdout)")
        // The same overrides reach reclamation: redis's patch keeps 3Gi, so it saves less (or nothing).
        let overriddenPlan = try JSONDecoder().decode(Reclaim.self, from: Data(try await run(["reclaim", "-o", "json", "--overrides", overrides]).stdout.utf8))
        let overriddenRedis = overriddenPlan.items.first { $0.kind == "over-provisioned" && $0.target.hasSuffix("production/StatefulSet/redis") }
        #expect(overriddenRedis.map { $0.monthlySavingMicrodollars < redis.monthlySavingMicrodollars && $0.evidence.contains("→ 3Gi") } ?? true,
                "\(String(describing: overriddenRedis))")

        // The plan estimate: node-only figures well under the plan's own.
        let estimate = try await ChildProcess.run(binary, ["plan", Self.root.appendingPathComponent("fixtures/terrafusion/plan.yaml").path],
                                                  environment: ["HEADROOM_MODELS": Self.root.appendingPathComponent("models").path])
        #expect(estimate.status == 0 && estimate.stdout.contains("production") && estimate.stdout.contains("$2,500.00–$3,000.00"), "\(estimate.stderr)")
    }
}
