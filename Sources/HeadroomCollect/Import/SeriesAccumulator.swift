import HeadroomCore

/// Collects raw samples per (container, pod, resource) with the line each came from, then turns
/// them into per-container usage buckets: each pod's samples are checked and bucketed on their
/// own (a repeated timestamp is only a conflict within one pod), then pods are combined.
struct SeriesAccumulator {
    struct Key: Hashable {
        var container: ContainerID
        var pod: String
        var resource: ResourceKind
    }

    private var samples: [Key: [Sample]] = [:]
    private var lines: [Key: [Int]] = [:]
    private(set) var count = 0

    mutating func add(_ key: Key, _ sample: Sample, line: Int) {
        samples[key, default: []].append(sample)
        lines[key, default: []].append(line)
        count += 1
    }

    /// Samples of one series, for callers that transform them first (counter → rate).
    var keys: Dictionary<Key, [Sample]>.Keys { samples.keys }
    func samples(for key: Key) -> [Sample] { samples[key] ?? [] }
    func lines(for key: Key) -> [Int] { lines[key] ?? [] }

    /// Buckets every series; `transform` may turn a series into another (rates) before bucketing.
    func buckets(
        file: String, transform: (Key, [Sample]) throws(SeriesError) -> [Sample] = { _, samples in samples }
    ) throws(ImportError) -> [UsageBucket] {
        var perContainer: [ContainerID: [ResourceKind: [Int64: BucketStats]]] = [:]
        for key in samples.keys.sorted(by: { ($0.container, $0.pod, $0.resource) < ($1.container, $1.pod, $1.resource) }) {
            let series = samples[key] ?? []
            let stats: [BucketStats]
            do {
                stats = try BucketAggregator.aggregate(try transform(key, series))
            } catch {
                throw ImportError(file: file, line: line(at: error.time, in: key),
                                  reason: "\(key.resource.rawValue) of \(key.container)\(key.pod.isEmpty ? "" : " pod \(key.pod)"): \(error.description)")
            }
            for bucket in stats {
                let existing = perContainer[key.container, default: [:]][key.resource, default: [:]][bucket.start]
                perContainer[key.container, default: [:]][key.resource, default: [:]][bucket.start] = existing.map { $0.merged(with: bucket) } ?? bucket
            }
        }
        var result: [UsageBucket] = []
        for (container, byResource) in perContainer.sorted(by: { $0.key < $1.key }) {
            for (resource, buckets) in byResource.sorted(by: { $0.key < $1.key }) {
                for (_, stats) in buckets.sorted(by: { $0.key < $1.key }) {
                    result.append(UsageBucket(container: container, resource: resource, stats: stats))
                }
            }
        }
        return result
    }

    /// The last input line of `key` whose sample has time `time` (the second of a duplicate pair).
    private func line(at time: Double?, in key: Key) -> Int? {
        guard let time, let series = samples[key], let lines = lines[key] else { return nil }
        return series.indices.last(where: { series[$0].time == time }).map { lines[$0] }
    }
}
