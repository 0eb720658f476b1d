import HeadroomCollect
import HeadroomHistory

/// The collection step of a service cycle: from the store's watermark for this Prometheus (or
/// `backfillSeconds` back on a store without one) to now, downsampled, chunk by chunk into the
/// store with its watermark, and logged as a collection run. What `headroom collect
/// --prometheus URL` does with its defaults, so a cycle and the command store the same buckets.
public struct PrometheusCycleCollection: Sendable {
    public var collector: PrometheusCollector
    /// How far back the first cycle reads when the store has nothing from this source.
    public var backfillSeconds: Int64
    /// nil: detected from the CPU series (as `--scrape-interval auto`).
    public var scrapeIntervalSeconds: Int64?
    public var namespaces: [String]
    /// Points per series per query at most (as `collect --max-points-per-series`): smaller makes
    /// shorter chunks, each stored with its watermark before the next.
    public var maxPointsPerSeries: Int

    public init(collector: PrometheusCollector, backfillSeconds: Int64 = 7 * 86_400, scrapeIntervalSeconds: Int64? = nil, namespaces: [String] = [],
                maxPointsPerSeries: Int = 11_000) {
        self.maxPointsPerSeries = maxPointsPerSeries
        self.collector = collector
        self.backfillSeconds = backfillSeconds
        self.scrapeIntervalSeconds = scrapeIntervalSeconds
        self.namespaces = namespaces
    }

    /// Collects up to `now`; nil when the store is already up to date. `chunkDone` hears of each
    /// chunk handed to the store (done, total).
    public func collect(into history: any HistoryBackend, now: Int64, chunkDone: (Int, Int) -> Void = { _, _ in }) async throws -> CollectionSummary? {
        let window = CollectionWindow.resolve(start: nil, end: nil, watermark: try await history.watermark(source: collector.sourceName),
                                              sinceSeconds: backfillSeconds, now: now)
        guard window.start < window.end else { return nil }
        let (interval, _) = try await collector.scrapeInterval(configured: scrapeIntervalSeconds, before: window.end, namespaces: namespaces)
        let (chunk, _) = try await collector.chunkSeconds(for: window, mode: .downsampled, scrapeIntervalSeconds: interval, maxPointsPerSeries: maxPointsPerSeries,
                                                          maxPointsPerChunk: CollectionPlan.defaultMaxPointsPerChunk, namespaces: namespaces)
        var plan = CollectionPlan(start: window.start, end: window.end, chunkSeconds: chunk, namespaces: namespaces,
                                  scrapeIntervalSeconds: interval, openBucketEnd: window.end)
        // Cycles start wherever the clock is: chunks on a fixed grid keep what they store
        // independent of when each cycle ran.
        plan.alignChunks = true
        guard plan.start < plan.end else { return nil }
        var reported = 0
        let summary = try await collector.collect(plan, store: { batch in try await history.ingest([batch], progress: nil) }) { progress in
            guard progress.chunksDone > reported else { return }
            reported = progress.chunksDone
            chunkDone(progress.chunksDone, progress.chunksTotal)
        }
        try await history.record(CollectionRun(
            source: collector.sourceName, mode: summary.mode.rawValue, startedAt: now, start: summary.start, end: summary.end,
            chunks: summary.chunks, queries: summary.queries, series: summary.series, samples: summary.samples,
            bytes: summary.bytesReceived, overloadSplits: summary.overloadSplits, seconds: summary.seconds))
        return summary
    }
}
