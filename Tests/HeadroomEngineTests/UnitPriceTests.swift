import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomTesting
import Testing

/// Containers no priced pool takes are priced from the price file's unit prices (defaults.yaml or
/// the user's --prices), never from a constant of the code.
@Suite struct UnitPriceTests {
    @Test("a store without nodes: advice prices every container at the catalog's unit prices, and follows them when they change")
    func nodelessPoolsAtCatalogUnits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var batch = SyntheticCluster(name: "bare", scale: 1).batch()
        batch.cluster = nil
        let store = try HistoryStore(path: directory.file("bare.sqlite"))
        _ = try store.ingest(batch)
        let engine = try await Engine(store: store, selecting: nil)
        var catalog = SyntheticCluster.catalog
        catalog.units.cpuPerVCPUHour = 50_000
        catalog.units.ramPerGiBHour = 7_000
        catalog.units.hoursPerMonth = 720
        var options = AdviceOptions()
        options.includeHPA = false
        let report = try await engine.advise(options, catalog: catalog)
        #expect(!report.containers.isEmpty)
        for row in report.containers {
            let rates = ResourceRates(perVCPUHour: 50_000, perGiBHour: 7_000, hoursPerMonth: 720)
            #expect(row.currentMonthly == rates.monthly(row.advice.current.requests, replicas: row.advice.replicas), "\(row.container)")
        }
        // The web container: 500m and 1Gi × 3 replicas at $0.05/vCPU-h and $0.007/GiB-h for 720 h = $69.12.
        let web = try #require(report.containers.first { $0.container.workload.name == "web" })
        #expect(web.currentMonthly == 69_120_000)
    }
}
