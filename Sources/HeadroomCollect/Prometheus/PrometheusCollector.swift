import Foundation
import HeadroomCore

/// Reads usage and inventory from Prometheus chunk by chunk and hands each chunk, bucketed, to a
/// sink (the history store) before moving on, so an interrupted run keeps every finished chunk
/// and its watermark, and the next run resumes there.
public struct PrometheusCollector: Sendable {
    public let api: PrometheusAPI
    public let querySet: PrometheusQuerySet

    public init(api: PrometheusAPI, querySet: PrometheusQuerySet = .default) {
        self.api = api
        self.querySet = querySet
    }

    /// The source name watermarks are kept under.
    public var sourceName: String { "prometheus:\(api.baseURL)" }

    public func collect(
        _ plan: CollectionPlan,
        store: (CollectedBatch) throws -> Void,
        progress: (CollectionProgress) -> Void = { _ in }
    ) async throws -> CollectionSummary {
        let started = ContinuousClock.now
        var summary = CollectionSummary()
        summary.start = plan.start
        summary.end = plan.end
        let chunks = plan.chunks
        let before = api.timer.snapshot
        for (index, chunk) in chunks.enumerated() {
            try Task.checkCancellation()
            let seriesBefore = summary.series
            let samplesBefore = summary.samples
            var fetched = try await fetch(chunk, plan: plan) { done, listed, samples in
                // Later chunks are assumed to hold as many series as this one.
                progress(CollectionProgress(
                    chunksDone: index, chunksTotal: chunks.count, seriesDone: seriesBefore + done,
                    seriesTotal: seriesBefore + listed * (chunks.count - index), samples: samplesBefore + samples,
                    elapsedSeconds: (ContinuousClock.now - started).secondsValue))
            }
            let bucketing = ContinuousClock.now
            let batch = try fetched.batch(chunk: chunk, source: sourceName)
            let storing = ContinuousClock.now
            try store(batch)
            summary.timings.bucketSeconds += (storing - bucketing).secondsValue + fetched.parseSeconds
            summary.timings.storeSeconds += (ContinuousClock.now - storing).secondsValue
            fetched.parseSeconds = 0
            summary.chunks += 1
            summary.series += fetched.series
            summary.samples += fetched.samples
            summary.nonFiniteSamplesSkipped += fetched.nonFinite
            summary.queries += fetched.queries
            summary.usageBuckets += batch.usage.count
            summary.gaps += Self.gaps(in: batch.usage)
            let elapsed = ContinuousClock.now - started
            progress(CollectionProgress(chunksDone: index + 1, chunksTotal: chunks.count, seriesDone: summary.series,
                                        seriesTotal: summary.series + fetched.series * (chunks.count - index - 1),
                                        samples: summary.samples, elapsedSeconds: elapsed.secondsValue))
        }
        summary.seconds = (ContinuousClock.now - started).secondsValue
        let after = api.timer.snapshot
        summary.timings.httpSeconds = after.http - before.http
        summary.timings.decodeSeconds = after.decode - before.decode
        return summary
    }

    /// One chunk's worth of raw samples, parsed as the file importer parses them.
    struct FetchedChunk {
        var state = ExpositionState()
        var series = 0
        var samples = 0
        var nonFinite = 0
        var queries = 0
        /// Time spent turning decoded samples into parser input.
        var parseSeconds = 0.0

        func batch(chunk: Range<Int64>, source: String) throws -> CollectedBatch {
            var batch = try state.batch(file: source)
            // Lookback samples only served the counters: keep what falls in the chunk, and
            // restate the declared state in force at its start.
            batch.usage.removeAll { !chunk.contains($0.stats.start) }
            batch.events.removeAll { !chunk.contains($0.time) }
            var inForce: [ContainerID: InventoryRecord] = [:]
            for record in batch.inventory where record.observedAt < chunk.lowerBound { inForce[record.container] = record }
            batch.inventory.removeAll { !chunk.contains($0.observedAt) }
            for var record in inForce.values where !batch.inventory.contains(where: { $0.container == record.container && $0.observedAt == chunk.lowerBound }) {
                record.observedAt = chunk.lowerBound
                batch.inventory.append(record)
            }
            batch.watermark = chunk.upperBound
            return batch
        }
    }

    /// Reads one chunk; `report(seriesDone, seriesListed, samples)` follows each query.
    private func fetch(_ chunk: Range<Int64>, plan: CollectionPlan, report: (Int, Int, Int) -> Void) async throws -> FetchedChunk {
        let from = Double(chunk.lowerBound - plan.counterLookbackSeconds)
        // Evaluating just before the chunk end takes samples in [start, end) on every
        // Prometheus version (closed or left-open range selectors alike).
        let at = Double(chunk.upperBound) - 0.001
        let range = chunk.upperBound - chunk.lowerBound + plan.counterLookbackSeconds
        let namespaceMatchers = plan.namespaces.isEmpty ? [] : ["namespace=~\"\(plan.namespaces.map(regexEscape).joined(separator: "|"))\""]
        var fetched = FetchedChunk()

        // List series first: it sizes the queries (split by namespace, pod or another label) and the progress.
        var requests: [(metric: PrometheusQuerySet.Metric, selector: String)] = []
        var listed = 0
        try await withThrowingTaskGroup(of: (PrometheusQuerySet.Metric, [[String: String]]).self) { group in
            for metric in querySet.metrics {
                group.addTask {
                    (metric, try await api.series(match: metric.selector(adding: namespaceMatchers), start: from, end: at))
                }
            }
            for try await (metric, labelSets) in group {
                fetched.queries += 1
                listed += labelSets.count
                for matchers in try splitMatchers(labelSets, metric: metric, limit: plan.maxSeriesPerQuery) {
                    requests.append((metric, metric.selector(adding: namespaceMatchers + matchers)))
                }
            }
        }
        requests.sort { $0.selector < $1.selector }

        try await withThrowingTaskGroup(of: (PrometheusQuerySet.Metric, String, [PrometheusSeries]).self) { group in
            var pending = requests[...]
            func launch() {
                guard let next = pending.popFirst() else { return }
                group.addTask { (next.metric, next.selector, try await api.rawSamples(selector: next.selector, rangeSeconds: range, at: at)) }
            }
            for _ in 0..<plan.concurrency { launch() }
            while let (metric, selector, series) = try await group.next() {
                fetched.queries += 1
                let parsing = ContinuousClock.now
                try add(series, metric: metric, selector: selector, to: &fetched)
                fetched.parseSeconds += (ContinuousClock.now - parsing).secondsValue
                report(fetched.series, listed, fetched.samples)
                launch()
            }
        }
        return fetched
    }

    private func add(_ series: [PrometheusSeries], metric: PrometheusQuerySet.Metric, selector: String, to fetched: inout FetchedChunk) throws {
        for one in series {
            fetched.series += 1
            var labels: [Substring: String] = [:]
            for (key, value) in one.labels { labels[Substring(key)] = value }
            for (name, source) in metric.labels ?? [:] { labels[Substring(name)] = one.labels[source] }
            for (time, value) in one.samples {
                guard value.isFinite else {
                    fetched.nonFinite += 1
                    continue
                }
                fetched.samples += 1
                let sample = ExpositionSample(name: Substring(metric.metric), labels: labels, value: value, timestamp: time)
                do {
                    try fetched.state.add(sample, time: time, line: 0)
                } catch {
                    throw PrometheusError(endpoint: api.baseURL, query: selector, reason: error.reason, isTransient: false)
                }
            }
        }
    }

    /// Extra matchers that keep each query under `limit` series: none when the selection is
    /// small; else the series are grouped by a label and the groups packed into queries, a group
    /// too big for one query being split again by another label. Labels are tried in the order
    /// namespace, pod, then the one with the most distinct values (node, persistentvolume,
    /// deployment…), so metrics without a pod label (nodes, volumes) split as well as container
    /// metrics. A group no label can split any further is an error naming its query: every
    /// listed series is fetched, or the collection fails.
    func splitMatchers(_ labelSets: [[String: String]], metric: PrometheusQuerySet.Metric, limit: Int) throws -> [[String]] {
        guard labelSets.count > limit else { return [[]] }
        return try split(labelSets, fixed: [], used: [], metric: metric, limit: max(1, limit))
    }

    private func split(_ sets: [[String: String]], fixed: [String], used: Set<String>, metric: PrometheusQuerySet.Metric,
                       limit: Int) throws -> [[String]] {
        func distinct(_ label: String) -> Int { Set(sets.map { $0[label] ?? "" }).count }
        let candidates = Set(sets.flatMap(\.keys)).subtracting(used).subtracting(["__name__"]).filter { distinct($0) > 1 }
        let preferred = [metric.sourceLabel("namespace"), metric.sourceLabel("pod")].first { candidates.contains($0) }
        guard let label = preferred ?? candidates.max(by: { (distinct($0), $1) < (distinct($1), $0) }) else {
            throw PrometheusError(endpoint: api.baseURL, query: metric.selector(adding: fixed),
                                  reason: "selects \(sets.count) series, more than the \(limit) allowed per query (--max-series-per-query), and no label splits them further",
                                  isTransient: false)
        }
        var result: [[String]] = []
        var packed: [String] = []
        var packedCount = 0
        func flush() {
            if !packed.isEmpty { result.append(fixed + ["\(label)=~\"\(packed.map(regexEscape).joined(separator: "|"))\""]) }
            packed = []
            packedCount = 0
        }
        for (value, members) in Dictionary(grouping: sets, by: { $0[label] ?? "" }).sorted(by: { $0.key < $1.key }) {
            if members.count > limit {
                result += try split(members, fixed: fixed + ["\(label)=\"\(value)\""], used: used.union([label]), metric: metric, limit: limit)
                continue
            }
            if packedCount + members.count > limit { flush() }
            packed.append(value)
            packedCount += members.count
        }
        flush()
        return result
    }

    /// Buckets missing between a container's first and last CPU bucket of the chunk.
    static func gaps(in usage: [UsageBucket]) -> Int {
        var starts: [ContainerID: [Int64]] = [:]
        for bucket in usage where bucket.resource == .cpu { starts[bucket.container, default: []].append(bucket.stats.start) }
        return starts.values.reduce(0) { total, times in
            guard let first = times.min(), let last = times.max() else { return total }
            return total + Int((last - first) / 300 + 1) - Set(times).count
        }
    }
}

/// Escapes a literal for a PromQL regex matcher (RE2 metacharacters; Kubernetes names hold no quotes).
func regexEscape(_ literal: String) -> String {
    var escaped = ""
    for character in literal {
        if "\\.+*?()|[]{}^$".contains(character) { escaped.append("\\\\") }
        escaped.append(character)
    }
    return escaped
}
