import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import Testing

/// The one-read mean and max series equal the two series read one statistic at a time.
@Suite struct MeanAndMaxSeriesTests {
    @Test("with gaps, a start inside a bucket and buckets on both sides of the window: the same series as series(.mean) and series(.max)",
          arguments: [(1_000 as Int64, 9_000 as Int64), (0, 300), (2_450, 2_500), (5_000, 4_000), (-600, 20_000)])
    func sameSeries(from: Int64, to: Int64) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try HistoryStore(path: directory.file("h.sqlite"))
        let web = ContainerID(namespace: "shop", kind: .deployment, workload: "web", container: "web")
        // Samples every 100 s with two holes, so some buckets are missing and the others hold a
        // mean below their max.
        let times = stride(from: 0.0, to: 12_000, by: 100).filter { !(3_000..<3_900).contains($0) && !(7_200..<7_500).contains($0) }
        _ = try store.ingest(try usageBatch(web, times.map { ($0, 50 + ($0.truncatingRemainder(dividingBy: 700))) }))
        let both = try store.meanAndMaxSeries(web, resource: .cpu, from: from, to: to)
        #expect(both.mean == (try store.series(web, resource: .cpu, statistic: .mean, from: from, to: to)))
        #expect(both.max == (try store.series(web, resource: .cpu, statistic: .max, from: from, to: to)))
        if to - from >= 3_000 { #expect(both.mean.values.contains(nil) && both.mean.values.contains { $0 != nil }) }
    }
}
