import HeadroomCollect
import HeadroomCore
import HeadroomHistory
import HeadroomTesting
import PropertyBased
import Testing

/// Import is a function of the rows, not of their order or of how often it runs.
@Suite struct ImportPropertyTests {
    static let header = "timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes,cpu_request_cores,replicas"

    /// Rows for up to three containers on a 60 s grid (each (container, time) once), values from `values`.
    static func rows(_ values: [Int]) -> [String] {
        values.enumerated().map { index, value in
            let container = index % 3, step = index / 3
            return "\(1_795_300_000 + step * 60),shop,Deployment,w\(container),c,\(Double(value % 4_000) / 1000),\(value * 1024),0.5,\(value % 5 + 1)"
        }
    }

    static func digests(of rows: [String], importedTimes: Int, in directory: TemporaryDirectory) throws -> [TableDigest] {
        let store = try HistoryStore(path: directory.file("s\(UInt64.random(in: 0...UInt64.max)).sqlite"))
        let batch = try CSVUsageImporter().parse(([header] + rows).joined(separator: "\n") + "\n", file: "p.csv")
        for _ in 0..<importedTimes { _ = try store.ingest(batch) }
        return try store.contentDigests()
    }

    @Test("importing a file twice stores exactly what importing it once does")
    func idempotent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000).array(of: 1...120)) { values in
            let twice = try Self.digests(of: Self.rows(values), importedTimes: 2, in: directory)
            let once = try Self.digests(of: Self.rows(values), importedTimes: 1, in: directory)
            #expect(twice == once)
        }
    }

    @Test("any order of a CSV's rows imports to the same store")
    func orderFree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000).array(of: 1...120), Gen.uint64(in: 0...UInt64.max)) { values, seed in
            let rows = Self.rows(values)
            var random = SplitMix64(seed: seed)
            let shuffled = try Self.digests(of: rows.shuffled(using: &random), importedTimes: 1, in: directory)
            let sorted = try Self.digests(of: rows, importedTimes: 1, in: directory)
            #expect(shuffled == sorted)
        }
    }
}
