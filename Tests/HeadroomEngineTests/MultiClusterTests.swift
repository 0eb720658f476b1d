import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomTesting
import Testing

/// Two clusters in one store answer exactly as two stores of one cluster each: every query the
/// engine makes is scoped to its cluster (both clusters here have a `shop` namespace and
/// `backend` and `data` pools, so any leak shows).
@Suite(.serialized) struct MultiClusterTests {
    static let east = SyntheticCluster(name: "east", scale: 1)
    static let west = SyntheticCluster(name: "west", scale: 1.6, seed: 11)
    static let budgets = [Budget(name: "shop", namespaces: ["shop"], monthly: 150_000_000, thresholds: [80, 100], line: nil),
                          Budget(name: "web-team", namespaces: [], labels: ["team": "web"], monthly: 60_000_000, thresholds: [100], line: nil)]

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Everything the engine answers for one cluster, as JSON, after allocating and storing its costs.
    static func answers(_ engine: Engine) async throws -> [String: String] {
        let catalog = SyntheticCluster.catalog
        var advice = AdviceOptions()
        advice.jobs = 2
        var answers: [String: String] = [:]
        answers["advise"] = try json(try await engine.advise(advice, catalog: catalog))
        answers["allocate"] = try await json(try engine.allocate(sinceSeconds: 30 * 86_400, catalog: catalog))
        answers["cost report"] = try await json(try engine.costReport(sinceSeconds: 30 * 86_400, options: .init()))
        answers["cost report by team"] = try await json(try engine.costReport(sinceSeconds: 30 * 86_400, options: .init(by: .label("team"))))
        answers["budget check"] = try json(try await engine.checkBudgets(BudgetOptions(budgets: budgets, catalog: catalog)))
        answers["reclaim"] = try json(try await engine.reclaim(ReclaimOptions(catalog: catalog)))
        answers["usage"] = try await json(try engine.usage(sinceSeconds: 7 * 86_400))
        var configuration = AssessmentConfiguration(catalog: catalog)
        configuration.budgets = budgets
        answers["assess"] = try json(try await engine.assess(configuration, now: east.end + 3_600))
        return answers
    }

    @Test("a store holding two clusters gives, per cluster, the advice, costs, budgets, reclamation and assessment of a store of its own")
    func sameAsSeparateStores() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let both = try SyntheticCluster.store([Self.east, Self.west], in: directory, named: "both.sqlite")
        for cluster in [Self.east, Self.west] {
            let alone = try SyntheticCluster.store([cluster], in: directory, named: "\(cluster.name).sqlite")
            let shared = try await Self.answers(Engine(store: both, cluster: cluster.name))
            let own = try await Self.answers(Engine(store: alone, selecting: nil))
            for (question, answer) in own.sorted(by: { $0.key < $1.key }) {
                #expect(shared[question] == answer, "\(cluster.name): \(question) differs between the shared store and its own")
            }
            #expect(own["advise"]?.contains("\"cluster\" : \"\(cluster.name)\"") == true)
        }
        // The clusters do differ, so the comparison above could fail.
        let eastAdvice = try await Engine(store: both, cluster: "east").advise(AdviceOptions(), catalog: SyntheticCluster.catalog)
        let westAdvice = try await Engine(store: both, cluster: "west").advise(AdviceOptions(), catalog: SyntheticCluster.catalog)
        #expect(eastAdvice.containers.monthlyTotals.current != westAdvice.containers.monthlyTotals.current)
        // Allocating one cluster leaves the other's stored days alone.
        let westCosts = try both.poolCosts(from: 0, to: .max, cluster: "west")
        _ = try await Engine(store: both, cluster: "east").allocate(sinceSeconds: 30 * 86_400, catalog: SyntheticCluster.catalog)
        #expect(try both.poolCosts(from: 0, to: .max, cluster: "west") == westCosts && !westCosts.isEmpty)
    }

    @Test("without a cluster named, a store of two clusters is an error that lists them; an unknown name likewise")
    func selection() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let both = try SyntheticCluster.store([Self.east, Self.west], in: directory, named: "both.sqlite")
        await #expect(throws: EngineError(.invalidInput, "the store holds clusters east, west: pass --cluster NAME")) { try await Engine(store: both, selecting: nil) }
        await #expect(throws: EngineError(.invalidInput, "the store holds no cluster \"north\" (it holds east, west)")) { try await Engine(store: both, selecting: "north") }
        let west = try await Engine(store: both, selecting: "west")
        #expect(west.cluster == "west")
    }
}
