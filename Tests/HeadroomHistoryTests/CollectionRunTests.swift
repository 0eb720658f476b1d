import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

@Suite struct CollectionRunTests {
    func run(_ source: String, at time: Int64, queries: Int) -> CollectionRun {
        CollectionRun(source: source, mode: "downsampled", startedAt: time, start: time - 86_400, end: time, chunks: 1, queries: queries,
                      series: 40, samples: 11_520, bytes: 350_000, overloadSplits: 1, seconds: 0.75)
    }

    @Test("runs are logged newest first, by source, and leave the history's digests alone")
    func logged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        let before = try store.contentDigests()
        try store.record(run("prometheus:a", at: 1_000_000, queries: 7))
        try store.record(run("prometheus:b", at: 1_000_100, queries: 8))
        try store.record(run("prometheus:a", at: 1_000_200, queries: 9))
        #expect(try store.collectionRuns().map(\.queries) == [9, 8, 7])
        #expect(try store.collectionRuns(source: "prometheus:a") == [run("prometheus:a", at: 1_000_200, queries: 9), run("prometheus:a", at: 1_000_000, queries: 7)])
        #expect(try store.collectionRuns(limit: 1).map(\.queries) == [9])
        #expect(try store.contentDigests() == before, "a log of what collection cost is not history")
    }
}
