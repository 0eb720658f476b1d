import Foundation
import HeadroomDemo
import HeadroomTesting
import Testing

/// `headroom assess` on the demo cluster: one document whose every total is what the commands
/// that show each part print for the same store.
@Suite struct AssessCommandTests {
    struct Amounts: Decodable, Equatable { var cpu: String?; var memory: String? }
    struct Configuration: Decodable { var requests: Amounts; var monthlyMicrodollars: Int64 }
    struct ID: Decodable, Hashable {
        struct Workload: Decodable, Hashable { var cluster: String; var namespace: String; var kind: String; var name: String }
        var workload: Workload
        var container: String
    }
    struct Row: Decodable { var container: ID; var current: Configuration; var recommended: Configuration }
    struct Plan: Decodable, Equatable { var nodes: Int; var nodeType: String; var monthlyMicrodollars: Int64 }
    struct Pool: Decodable { var pool: String; var current: Plan; var recommended: Plan }
    struct Advice: Decodable { var containers: [Row]; var pools: [Pool] }
    struct Line: Decodable, Equatable { var name: String; var ownMicrodollars: Int64; var sharedMicrodollars: Int64; var totalMicrodollars: Int64 }
    struct Volume: Decodable, Equatable { var volume: String; var microdollars: Int64 }
    struct Idle: Decodable { var pool: String; var nodeMicrodollars: Int64; var idleMicrodollars: Int64 }
    struct CostReport: Decodable { var lines: [Line]; var idle: [Idle]; var unattachedVolumes: [Volume] }
    struct Projection: Decodable, Equatable { var monthToDate: Int64; var p10: Int64; var p50: Int64; var p90: Int64 }
    struct Quota: Decodable, Equatable { var recommendedQuota: Amounts; var recommendedQuotaMonthly: Int64; var flags: [String] }
    struct Budget: Decodable, Equatable { var budget: String; var status: String; var projection: Projection; var quota: Quota }
    struct Budgets: Decodable { var month: String; var budgets: [Budget] }
    struct Item: Decodable, Equatable { var kind: String; var target: String; var monthlySavingMicrodollars: Int64; var patch: String? }
    struct Reclaim: Decodable { var items: [Item]; var monthlySaving: Int64 }
    struct Assessment: Decodable {
        struct Metadata: Decodable { var cluster: String; var generatedAt: Int64; var strategy: String }
        struct Totals: Decodable {
            var containers: Int
            var currentMonthlyMicrodollars: Int64
            var recommendedMonthlyMicrodollars: Int64
            var allocatedMicrodollars: Int64
            var reclaimableMonthlyMicrodollars: Int64
            var budgetsViolated: Int
        }
        struct Container: Decodable {
            struct Forecast: Decodable { struct CPU: Decodable { var quantile: Double; var forecastPeakMillicores: Double }; var cpu: CPU }
            struct Confidence: Decodable { var level: String; var historyDays: Double; var coverage: Double }
            var container: ID
            var current: Configuration
            var recommended: Configuration
            var forecast: Forecast?
            var confidence: Confidence?
        }
        struct Allocation: Decodable {
            struct Label: Decodable { var key: String; var lines: [Line] }
            var namespaces: [Line]
            var labels: [Label]
            var unattachedVolumes: [Volume]
            var totalMicrodollars: Int64
        }
        struct Freshness: Decodable {
            struct Cluster: Decodable { var cluster: String; var lastUsageBucket: Int64?; var usageAgeSeconds: Int64? }
            var clusters: [Cluster]
        }
        var apiVersion: String
        var kind: String
        var metadata: Metadata
        var totals: Totals
        var containers: [Container]
        var pools: [Pool]
        var allocation: Allocation
        var budgets: Budgets?
        var reclamation: Reclaim
        var freshness: Freshness
    }

    @Test("assess equals advise, cost report, budget check and reclaim on the demo store, in a versioned document")
    func totalsAgree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        let budgets = DemoStore.root.appendingPathComponent("models/budgets/terrafusion.example.yaml").path
        func run(_ arguments: [String]) async throws -> String {
            let result = try await demo.run(arguments + ["-o", "json"])
            #expect([0, 3].contains(result.status), "\(arguments): \(result.stderr)")
            return result.stdout
        }
        _ = try await run(["import"] + demo.files)
        _ = try await run(["cost", "allocate"])
        let now = demo.options.end + 3_600
        let decoder = JSONDecoder()
        let assessment = try decoder.decode(Assessment.self, from: Data(try await run(["assess", "--budgets", budgets, "--now", String(now)]).utf8))
        let advice = try decoder.decode(Advice.self, from: Data(try await run(["advise"]).utf8))
        let report = try decoder.decode(CostReport.self, from: Data(try await run(["cost", "report"]).utf8))
        let byTeam = try decoder.decode(CostReport.self, from: Data(try await run(["cost", "report", "--by", "label:team"]).utf8))
        let budgetCheck = try decoder.decode(Budgets.self, from: Data(try await run(["budget", "check", "--budgets", budgets]).utf8))
        let reclaim = try decoder.decode(Reclaim.self, from: Data(try await run(["reclaim"]).utf8))

        #expect(assessment.apiVersion == "headroom.io/v1alpha1" && assessment.kind == "Assessment")
        #expect(assessment.metadata.generatedAt == now && assessment.metadata.cluster == "terrafusion")

        // advise: every container's requests and cost, the sums, the node plans.
        #expect(assessment.containers.count == advice.containers.count && assessment.totals.containers == advice.containers.count)
        for (ours, theirs) in zip(assessment.containers, advice.containers) {
            #expect(ours.container == theirs.container)
            #expect(ours.recommended.requests == theirs.recommended.requests && ours.current.requests == theirs.current.requests)
            #expect(ours.recommended.monthlyMicrodollars == theirs.recommended.monthlyMicrodollars)
            // The default risk strategy: the 99.7th percentile of the coming two days (a 0.3 % CPU risk).
            #expect(ours.forecast?.cpu.quantile == 1 - 0.003 && (ours.forecast?.cpu.forecastPeakMillicores ?? -1) >= 0)
        }
        #expect(assessment.totals.currentMonthlyMicrodollars == advice.containers.reduce(0) { $0 + $1.current.monthlyMicrodollars })
        #expect(assessment.totals.recommendedMonthlyMicrodollars == advice.containers.reduce(0) { $0 + $1.recommended.monthlyMicrodollars })
        #expect(assessment.pools.map(\.recommended) == advice.pools.map(\.recommended) && assessment.pools.map(\.current) == advice.pools.map(\.current))
        // 21 days of history, no gaps: high confidence everywhere.
        #expect(assessment.containers.allSatisfy { $0.confidence?.level == "high" && ($0.confidence?.historyDays ?? 0) >= 13.9 })

        // cost report: the same lines (shared namespaces spread alike), volumes and grand total.
        #expect(assessment.allocation.namespaces == report.lines)
        #expect(assessment.allocation.labels.first { $0.key == "team" }?.lines == byTeam.lines)
        #expect(assessment.allocation.unattachedVolumes == report.unattachedVolumes)
        let reportTotal = report.lines.reduce(0) { $0 + $1.totalMicrodollars } + report.idle.reduce(0) { $0 + $1.idleMicrodollars }
            + report.unattachedVolumes.reduce(0) { $0 + $1.microdollars }
        #expect(assessment.allocation.totalMicrodollars == reportTotal && assessment.totals.allocatedMicrodollars == reportTotal)

        // budget check: every projection, status and recommended quota.
        #expect(assessment.budgets?.budgets == budgetCheck.budgets && assessment.budgets?.month == budgetCheck.month)
        #expect(assessment.totals.budgetsViolated == budgetCheck.budgets.filter { ["breached", "projected"].contains($0.status) }.count)
        #expect(assessment.totals.budgetsViolated >= 1, "the demo's development budget is tight on purpose")

        // reclaim: the same items, patches included, and the same saving.
        #expect(assessment.reclamation.items == reclaim.items && assessment.reclamation.monthlySaving == reclaim.monthlySaving)
        #expect(assessment.totals.reclaimableMonthlyMicrodollars == reclaim.monthlySaving && !reclaim.items.isEmpty)

        // Freshness from the given now: the last bucket ends at options.end, an hour before.
        let freshness = try #require(assessment.freshness.clusters.first)
        #expect(freshness.usageAgeSeconds == now - (freshness.lastUsageBucket ?? 0) - 300 && (freshness.usageAgeSeconds ?? 0) >= 3_600 - 300)
    }
}
