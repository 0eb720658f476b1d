import Foundation
import HeadroomDemo
import HeadroomTesting
import Testing

/// The fleet view from the command line: three clusters imported into one store (a SQLite file,
/// or the real PostgreSQL that several clusters' collectors would share), then
/// `budget check`, `alerts run` and `report weekly` with `--clusters` against each cluster's own answer.
// Serialized: a fleet is three imports and allocations; two at once starve the rest of the suite.
@Suite(.serialized) struct FleetCommandTests {
    struct Report: Decodable {
        struct Budget: Decodable {
            struct Part: Decodable, Equatable {
                var cluster: String
                var monthToDateMicrodollars: Int64
            }
            struct Projection: Decodable { var monthToDate: Int64 }
            var budget: String
            var projection: Projection
            var clusters: [Part]?
        }
        var budgets: [Budget]
    }

    struct FleetReport: Decodable {
        var clusters: [String]
        var withoutCosts: [String]
        var report: Report
    }

    static let names = ["production", "staging", "development"]

    /// The store the fleet is imported into: a SQLite file, or a database of the real PostgreSQL
    /// (`scripts/with-postgres`), the shared store several clusters' collectors write to.
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// The demo's binary and files, and the store options of the backend.
    struct Fleet {
        let demo: DemoStore
        let store: [String]

        /// Runs `headroom ARGUMENTS` on the fleet's store with the checkout's models.
        func run(_ arguments: [String]) async throws -> ChildProcess.Result {
            try await ChildProcess.run(demo.binary, arguments + store, environment: ["HEADROOM_MODELS": DemoStore.models])
        }
    }

    /// The demo's history and cluster objects imported three times, under three cluster names,
    /// with costs allocated (the Engine's `FleetBudgetTests` use clusters that differ).
    static func fleetStore(_ directory: TemporaryDirectory, on backend: Backend) async throws -> Fleet {
        let demo = try DemoStore(in: directory)
        let fleet = Fleet(demo: demo, store: backend == .sqlite ? ["--db", demo.store] : try await PostgresStoreCommandTests.Database.create().options)
        let csv = try String(contentsOfFile: demo.files[0], encoding: .utf8)
        for name in names {
            let renamed = directory.file("\(name).csv"), objects = directory.file("\(name).prom")
            try csv.replacingOccurrences(of: ",\(DemoCluster.clusterName),", with: ",\(name),").write(toFile: renamed, atomically: true, encoding: .utf8)
            try DemoClusterObjects.write(to: objects, time: demo.options.end - 300, cluster: name)
            let imported = try await fleet.run(["import", renamed, objects])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        for name in names {
            let allocated = try await fleet.run(["cost", "allocate", "--cluster", name])
            #expect(allocated.status == 0, "\(allocated.stderr)")
        }
        return fleet
    }

    /// One fleet per backend (three imports and allocations each are the slow part), then each
    /// command across its clusters: budgets, alerts, weekly reports.
    @Test("three clusters in one store: budget check, alerts run and report weekly with --clusters agree with each cluster's own", arguments: Backend.allCases)
    func fleetView(backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fleet = try await Self.fleetStore(directory, on: backend)
        try await budgetsAcrossClusters(fleet, in: directory)
        try await alertsAcrossClusters(fleet, in: directory)
        try await weeklyReportsAcrossClusters(fleet, in: directory)
    }

    /// budget check --clusters all: a budget naming no cluster is broken down into each cluster's
    /// own check; one naming a cluster counts only it.
    func budgetsAcrossClusters(_ fleet: Fleet, in directory: TemporaryDirectory) async throws {
        let budgets = try directory.write("budgets.yaml", """
            budgets:
              - {name: development-everywhere, namespace: development, monthlyUSD: 1000}
              - {name: development-in-production, namespace: development, clusters: [production], monthlyUSD: 1000}
            """)
        let everyCluster = try await fleet.run(["budget", "check", "--budgets", budgets, "--clusters", "all", "-o", "json"])
        #expect([0, 3].contains(everyCluster.status), "\(everyCluster.stderr)")
        let report = try JSONDecoder().decode(FleetReport.self, from: Data(everyCluster.stdout.utf8))
        #expect(report.clusters == ["development", "production", "staging"] && report.withoutCosts.isEmpty)

        var own: [String: Int64] = [:]
        for name in Self.names {
            let alone = try await fleet.run(["budget", "check", "--budgets", budgets, "--cluster", name, "-o", "json"])
            #expect([0, 3].contains(alone.status), "\(alone.stderr)")
            own[name] = try JSONDecoder().decode(Report.self, from: Data(alone.stdout.utf8)).budgets[0].projection.monthToDate
        }
        let everywhere = try #require(report.report.budgets.first { $0.budget == "development-everywhere" })
        #expect(everywhere.clusters == ["development", "production", "staging"].map { Report.Budget.Part(cluster: $0, monthToDateMicrodollars: own[$0] ?? -1) })
        #expect(everywhere.projection.monthToDate == own.values.reduce(0, +) && own.values.allSatisfy { $0 > 0 })
        let production = try #require(report.report.budgets.first { $0.budget == "development-in-production" })
        #expect(production.clusters == [Report.Budget.Part(cluster: "production", monthToDateMicrodollars: own["production"] ?? -1)])
        #expect(production.projection.monthToDate == own["production"])

        let table = try await fleet.run(["budget", "check", "--budgets", budgets, "--clusters", "staging,production"])
        #expect(table.stdout.contains("Clusters: staging, production") || table.stdout.contains("Clusters: production, staging"), "\(table.stdout)")
        #expect(table.stdout.contains("Month to date by cluster:") && !table.stdout.contains("development-everywhere  development"))
    }

    /// alerts run --clusters all raises one alert per cluster; a run for one cluster moves only
    /// that cluster's alerts.
    func alertsAcrossClusters(_ fleet: Fleet, in directory: TemporaryDirectory) async throws {
        let rules = try directory.write("alerts.yaml", """
            sinks:
              - {name: hook, type: webhook, url: "http://127.0.0.1:9/hook"}
            rules:
              - {name: forecast, kind: budgetForecast, percentile: p50, severity: critical, sinks: [hook]}
            """)
        let tight = try directory.write("tight.yaml", "budgets:\n  - {name: development, namespace: development, monthlyUSD: 1}\n")
        let roomy = try directory.write("roomy.yaml", "budgets:\n  - {name: development, namespace: development, monthlyUSD: 100000}\n")
        func firing(_ output: String) throws -> [String] {
            let document = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            return ((document?["firing"] as? [[String: Any]]) ?? (document?["alerts"] as? [[String: Any]])?.filter { $0["status"] as? String == "firing" } ?? [])
                .compactMap { $0["key"] as? String }.sorted()
        }
        let expected = ["development", "production", "staging"].map { #"forecast{budget="development",cluster="\#($0)",threshold="100"}"# }

        let all = try await fleet.run(["alerts", "run", "--rules", rules, "--budgets", tight, "--clusters", "all", "--now", "1795395600", "--no-send", "-o", "json"])
        #expect(all.status == 3, "\(all.stderr)")
        #expect(try firing(all.stdout) == expected)
        let queued = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any]
        #expect(queued?["queued"] as? Int == 3)

        // Staging's budget is met there: only staging's alert resolves, the others keep firing.
        let staging = try await fleet.run(["alerts", "run", "--rules", rules, "--budgets", roomy, "--cluster", "staging", "--now", "1795395660", "--no-send", "-o", "json"])
        #expect(staging.status == 0, "\(staging.stderr)")
        let status = try await fleet.run(["alerts", "status", "-o", "json"])
        #expect(try firing(status.stdout) == expected.filter { !$0.contains("staging") }, "\(status.stdout)")
    }

    /// report weekly --clusters all: each cluster's files are its own report's, and the fleet
    /// summary sums them.
    func weeklyReportsAcrossClusters(_ fleet: Fleet, in directory: TemporaryDirectory) async throws {
        let out = directory.file("fleet"), own = directory.file("own")
        let common = ["report", "weekly", "--format", "md,json", "--now", "1795395600"]
        let everyCluster = try await fleet.run(common + ["--clusters", "all", "--out", out])
        #expect(everyCluster.status == 0, "\(everyCluster.stderr)")
        struct Summary: Decodable {
            struct Cluster: Decodable { var cluster: String; var totalMicrodollars: Int64 }
            var week: String
            var clusters: [Cluster]
            var totalMicrodollars: Int64
        }
        let summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: URL(fileURLWithPath: "\(out)/fleet.json")))
        #expect(summary.clusters.map(\.cluster) == ["development", "production", "staging"])
        #expect(summary.totalMicrodollars == summary.clusters.reduce(0) { $0 + $1.totalMicrodollars } && summary.totalMicrodollars > 0)
        #expect(try String(contentsOfFile: "\(out)/fleet.md", encoding: .utf8).contains("[production](production/weekly-report.md)"))
        for name in Self.names {
            // The same report, asked of one cluster: its files are the fleet run's.
            let alone = try await fleet.run(common + ["--cluster", name, "--out", "\(own)/\(name)"])
            #expect(alone.status == 0, "\(alone.stderr)")
            for file in ["weekly-report.md", "weekly-report.json"] {
                let theirs = try String(contentsOfFile: "\(own)/\(name)/\(file)", encoding: .utf8)
                #expect(try String(contentsOfFile: "\(out)/\(name)/\(file)", encoding: .utf8) == theirs, "\(name)/\(file)")
            }
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(own)/\(name)/weekly-report.json"))) as? [String: Any]
            let spend = (report?["spend"] as? [String: Any])?["totalMicrodollars"] as? Int
            #expect(summary.clusters.first { $0.cluster == name }.map { Int($0.totalMicrodollars) } == spend)
        }
        let delivering = try await fleet.run(common + ["--clusters", "all", "--out", out, "--post", "http://127.0.0.1:9/hook"])
        #expect(delivering.status == 2 && delivering.stderr.contains("deliver them with one run per --cluster"), "\(delivering.stderr)")
    }

    @Test("--cluster and --clusters exclude each other (exit 2); an unknown cluster is named with the store's")
    func badSelections() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        let imported = try await demo.run(["import"] + demo.files)
        #expect(imported.status == 0, "\(imported.stderr)")
        let budgets = DemoStore.root.appendingPathComponent("models/budgets/terrafusion.example.yaml").path
        let both = try await demo.run(["budget", "check", "--budgets", budgets, "--cluster", "terrafusion", "--clusters", "all"])
        #expect(both.status == 2 && both.stderr.contains("exclude each other"))
        let unknown = try await demo.run(["budget", "check", "--budgets", budgets, "--clusters", "qa"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no cluster \"qa\"") && unknown.stderr.contains("terrafusion"), "\(unknown.stderr)")
    }
}
