import HeadroomCore
import HeadroomHistory
import Testing

/// The same ingests give the same stored buckets on both backends, bit for bit: partial
/// buckets, overlaps, repeats within one ingest and out-of-order batches included.
@Suite struct BackendEquivalenceTests {
    /// SplitMix64: a small seeded generator, so the workload is the same on every run.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static let containers = (0..<6).map { ContainerID(cluster: $0 < 3 ? "production" : "staging", namespace: "ns", kind: .deployment,
                                                      workload: "w\($0)", container: "app") }

    /// Eight ingests of random partial summaries of 40 buckets per container and resource.
    static func ingests(seed: UInt64) -> [CollectedBatch] {
        var random = SplitMix(state: seed)
        return (0..<8).map { round in
            var usage: [UsageBucket] = []
            for _ in 0..<300 {
                let container = containers[random.below(containers.count)]
                let bucket = Int64(random.below(40))
                // A random sub-range of the bucket's five 60-s scrapes.
                let first = Int64(random.below(5)), last = first + Int64(random.below(5 - Int(first)))
                let count = Int(last - first + 1)
                let mean = Double(random.below(10_000)) / 7
                usage.append(UsageBucket(
                    container: container, resource: random.below(2) == 0 ? .cpu : .memory,
                    stats: BucketStats(start: bucket * 300, count: count, mean: mean, max: mean + Double(random.below(500)),
                                       firstSampleMillis: (bucket * 300 + first * 60) * 1000, lastSampleMillis: (bucket * 300 + last * 60) * 1000)))
            }
            return CollectedBatch(source: "random", usage: usage, rawSampleCount: usage.count, watermark: Int64(round) * 1000)
        }
    }

    /// Every stored bucket of every container and resource, in a fixed order.
    static func everything(_ store: any HistoryBackend) async throws -> [[BucketStats]] {
        var all: [[BucketStats]] = []
        for container in containers {
            for resource in ResourceKind.allCases {
                all.append(try await store.buckets(container, resource: resource, from: 0, to: 12_000, resolution: .fiveMinutes))
            }
        }
        return all
    }

    @Test("random partial ingests store identical buckets on SQLite and PostgreSQL", arguments: [1, 2, 3] as [UInt64])
    func identical(seed: UInt64) async throws {
        let batches = Self.ingests(seed: seed)
        var results: [[[BucketStats]]] = []
        var summaries: [[IngestSummary]] = []
        for backend in StoreBackend.allCases {
            try await backend.withStore { store in
                var own: [IngestSummary] = []
                // Two batches per ingest, so some buckets repeat within one ingest.
                for pair in stride(from: 0, to: batches.count, by: 2) {
                    own.append(try await store.ingest(Array(batches[pair..<pair + 2]), progress: nil))
                }
                summaries.append(own)
                results.append(try await Self.everything(store))
                #expect(try await store.watermark(source: "random") == 7000)
            }
        }
        #expect(results.count == 2 && results[0] == results[1])
        #expect(summaries[0] == summaries[1])
        // The workload does exercise merging: fewer stored buckets than written rows.
        let stored = results[0].reduce(0) { $0 + $1.count }
        #expect(stored < 2400 && stored > 300)
    }
}
