import Foundation
import HeadroomCollect
import HeadroomHistory
import HeadroomService
import HeadroomTesting
import Testing

/// The service's collection step against the real Prometheus: a cycle stores what `headroom
/// collect` stores for the same range, and the next cycle resumes at the watermark.
@Suite struct ServiceCollectionTests {
    @Test("a cycle's collection stores what headroom collect stores, and the next one finds nothing new")
    func cycleCollectsLikeTheCommand() async throws {
        let prometheus = try PrometheusEnvironment.current()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The command, over the fixture's range.
        let commandStore = directory.file("command.sqlite")
        let command = try await ChildProcess.run(try ChildProcess.headroomBinary(), [
            "collect", "--prometheus", prometheus.url, "--db", commandStore, "--start", String(prometheus.start), "--end", String(prometheus.end)])
        #expect(command.status == 0, "\(command.stderr)")

        // The cycle, on a new store, at a `now` whose window ends where the fixture does.
        let store = try HistoryStore(path: directory.file("cycle.sqlite"))
        let collection = PrometheusCycleCollection(collector: PrometheusCollector(api: prometheus.api()),
                                                   backfillSeconds: prometheus.end - prometheus.start)
        let now = prometheus.end + CollectionWindow.lateScrapeSeconds
        let summary = try #require(try await collection.collect(into: store, now: now))
        #expect(summary.usageBuckets > 0 && summary.start == prometheus.start && summary.end == prometheus.end)
        let ours = try store.contentDigests(), theirs = try HistoryStore(path: commandStore).contentDigests()
        #expect(ours == theirs)
        #expect(try store.watermark(source: collection.collector.sourceName) == prometheus.end)

        // The next cycle at the same moment: up to date, nothing stored twice.
        #expect(try await collection.collect(into: store, now: now) == nil)
        #expect(try store.contentDigests() == ours)
    }
}
