import Foundation
import Synchronization
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

    /// Collects `plan` chunk by chunk. A chunk is bucketed and stored while the next one is
    /// fetched (one chunk in flight, one being stored: Prometheus is not left idle while the
    /// store writes), and stores happen one at a time in chunk order, so the watermark never passes
    /// a chunk that is not stored. When a fetch fails, the chunk before it is still stored.
    public func collect(
        _ plan: CollectionPlan,
        store: @escaping @Sendable (CollectedBatch) async throws -> Void,
        progress: (CollectionProgress) -> Void = { _ in }
    ) async throws -> CollectionSummary {
        let started = ContinuousClock.now
        var summary = CollectionSummary()
        summary.start = plan.start
        summary.end = plan.end
        summary.mode = plan.mode
        let chunks = plan.chunks
        let before = api.timer.snapshot
        let source = sourceName
        let runSeries = plan.usesCombinedQueries ? nil : try await seriesCounts(plan)
        var storing: Task<StoredChunk, any Error>?
        /// Waits for the chunk being stored and adds what it did to the summary.
        func finishStoring() async throws {
            guard let task = storing else { return }
            storing = nil
            let stored = try await task.value
            summary.usageBuckets += stored.usageBuckets
            summary.gaps += stored.gaps
            summary.timings.bucketSeconds += stored.bucketSeconds
            summary.timings.storeSeconds += stored.storeSeconds
            if let open = stored.openBucketEnd { summary.openBucketEnd = open }
        }
        for (index, chunk) in chunks.enumerated() {
            let seriesBefore = summary.series
            let samplesBefore = summary.samples
            let fetched: FetchedChunk
            do {
                try Task.checkCancellation()
                fetched = try await fetch(chunk, plan: plan, runSeries: runSeries) { done, listed, samples in
                    // Later chunks are assumed to hold as many series as this one.
                    progress(CollectionProgress(
                        chunksDone: index, chunksTotal: chunks.count, seriesDone: seriesBefore + done,
                        seriesTotal: seriesBefore + listed * (chunks.count - index), samples: samplesBefore + samples,
                        elapsedSeconds: (ContinuousClock.now - started).secondsValue))
                }
            } catch {
                // The chunk before this one is kept (and its store's own failure reported first).
                try await finishStoring()
                throw error
            }
            try await finishStoring()
            let open = fetched.openBucketRead && chunk.upperBound == plan.end ? plan.openBucketEnd : nil
            summary.chunks += 1
            summary.series += fetched.series
            summary.samples += fetched.samples
            summary.nonFiniteSamplesSkipped += fetched.nonFinite
            summary.overloadSplits += fetched.overloadSplits
            let parseSeconds = fetched.parseSeconds, chunkSeries = fetched.series
            // The storing task holds the only reference to the chunk, so its buckets are freed
            // as they are merged while the next chunk is fetched.
            let handOver = ChunkHandOver(consume fetched)
            storing = Task {
                let bucketing = ContinuousClock.now
                var owned = handOver.take()
                let batch = try owned.batch(chunk: chunk, source: source, includingOpenBucket: open != nil)
                owned = FetchedChunk()
                let storingAt = ContinuousClock.now
                try await store(batch)
                return StoredChunk(usageBuckets: batch.usageBucketCount, gaps: Self.gaps(in: batch), openBucketEnd: open,
                                   bucketSeconds: (storingAt - bucketing).secondsValue + parseSeconds,
                                   storeSeconds: (ContinuousClock.now - storingAt).secondsValue)
            }
            let elapsed = ContinuousClock.now - started
            progress(CollectionProgress(chunksDone: index + 1, chunksTotal: chunks.count, seriesDone: summary.series,
                                        seriesTotal: summary.series + chunkSeries * (chunks.count - index - 1),
                                        samples: summary.samples, elapsedSeconds: elapsed.secondsValue))
        }
        try await finishStoring()
        summary.seconds = (ContinuousClock.now - started).secondsValue
        let after = api.timer.snapshot
        summary.timings.httpSeconds = after.http - before.http
        summary.timings.decodeSeconds = after.decode - before.decode
        summary.bytesReceived = after.bytes - before.bytes
        summary.queries = after.queries - before.queries
        return summary
    }

    /// Moves a fetched chunk into the task that stores it, leaving no other reference behind.
    private final class ChunkHandOver: @unchecked Sendable {
        // Written once here and read once by the storing task, which starts after this init.
        private var chunk: FetchedChunk?
        init(_ chunk: consuming FetchedChunk) { self.chunk = chunk }
        func take() -> FetchedChunk {
            defer { chunk = nil }
            return chunk ?? FetchedChunk()
        }
    }

    /// What storing one chunk did.
    private struct StoredChunk: Sendable {
        var usageBuckets: Int
        var gaps: Int
        var openBucketEnd: Int64?
        var bucketSeconds: Double
        var storeSeconds: Double
    }

    /// One chunk's worth of raw samples, parsed as the file importer parses them.
    struct FetchedChunk: Sendable {
        var state = ExpositionState()
        var series = 0
        var samples = 0
        var nonFinite = 0
        var overloadSplits = 0
        /// Time spent turning decoded samples into parser input.
        var parseSeconds = 0.0
        /// Whether the bucket still open after the chunk was read too.
        var openBucketRead = false

        /// The chunk's batch, watermarked at its end; with the open bucket after it, not
        /// watermarked (the next run reads it whole).
        /// The state's summarised buckets are handed over to the batch (see `ExpositionState.takeBatch`).
        mutating func batch(chunk: Range<Int64>, source: String, includingOpenBucket: Bool = false) throws -> CollectedBatch {
            var batch = try state.takeBatch(file: source)
            // Lookback samples only served the counters: keep what falls in the chunk, and
            // restate the declared state in force at its start.
            let usageRange = chunk.lowerBound..<(chunk.upperBound + (includingOpenBucket ? DownsampleQuery.bucketSeconds : 0))
            batch.usage.removeAll { !usageRange.contains($0.stats.start) }
            for index in batch.usageRuns.indices { batch.usageRuns[index].stats.removeAll { !usageRange.contains($0.start) } }
            batch.usageRuns.removeAll { $0.stats.isEmpty }
            batch.events.removeAll { !chunk.contains($0.time) }
            var inForce: [ContainerID: InventoryRecord] = [:]
            for record in batch.inventory where record.observedAt < chunk.lowerBound { inForce[record.container] = record }
            batch.inventory.removeAll { !chunk.contains($0.observedAt) }
            let atStart = Set(batch.inventory.lazy.filter { $0.observedAt == chunk.lowerBound }.map(\.container))
            for var record in inForce.values where !atStart.contains(record.container) {
                record.observedAt = chunk.lowerBound
                batch.inventory.append(record)
            }
            batch.watermark = chunk.upperBound
            return batch
        }
    }

    /// The median scrape interval of the CPU series, whole seconds (nil when Prometheus has none
    /// in the hour before `time`): the samples each series has in the hour that ends at the
    /// newest CPU sample, not at `time`. Counted up to `time`, an hour only partly covered (the
    /// data ended a while ago) would read as a longer interval, and one that changes from run to
    /// run; the downsampling queries depend on it, so the same buckets would differ.
    public func detectScrapeInterval(before time: Int64, namespaces: [String] = []) async throws -> Int64? {
        let matchers = Self.namespaceMatchers(namespaces)
        guard let cpu = querySet.metrics.first(where: { DownsampleQuery.kind(of: $0) == .counterUsage }) else { return nil }
        let selector = cpu.selector(adding: matchers)
        let at = Double(time) - 0.001
        // Live data: the newest sample is within the 5-minute lookback (one cheap instant query);
        // otherwise the hour before is searched in 5-minute steps, each seeing 5 minutes back.
        var newest = try await api.query("max(timestamp(\(selector)))", at: at).first?.samples.last?.value
        if newest == nil {
            newest = try await api.query("max(max_over_time(timestamp(\(selector))[1h:5m]))", at: at).first?.samples.last?.value
        }
        guard let newest, newest.isFinite, newest <= at else { return nil }
        // A millisecond before it: the hour holds the sample an hour back but not the newest, so
        // a regular series counts 3600 / interval whether the range's start is closed (Prometheus
        // 2) or open (3).
        let answer = try await api.query("quantile(0.5, count_over_time(\(selector)[1h]))", at: newest - 0.001)
        guard let perHour = answer.first?.samples.last?.value, perHour.isFinite, perHour >= 1 else { return nil }
        return max(1, min(3600, Int64((3600 / perHour).rounded())))
    }

    /// The scrape interval to plan with: the configured one, else the detected one, else 15 s
    /// (cAdvisor's usual); `detected` says whether Prometheus was asked.
    public func scrapeInterval(configured: Int64?, before time: Int64, namespaces: [String] = []) async throws -> (seconds: Int64, detected: Bool) {
        if let configured { return (configured, false) }
        return (try await detectScrapeInterval(before: time, namespaces: namespaces) ?? 15, true)
    }

    /// The chunk length for `window`: raw, under `maxPointsPerSeries` raw points per series at the
    /// scrape interval (at most a day); downsampled, as long as a chunk brings back at most
    /// `maxPointsPerChunk` points for the CPU and memory series Prometheus holds (counted first;
    /// between an hour and a week) and at most `maxPointsPerSeries` buckets per series. A window
    /// of an hour or less is not sized: it goes in combined queries. Also returns the series
    /// counted, when they were.
    public func chunkSeconds(for window: CollectionWindow, mode: CollectionMode, scrapeIntervalSeconds: Int64, maxPointsPerSeries: Int,
                             maxPointsPerChunk: Int, namespaces: [String] = []) async throws -> (seconds: Int64, usageSeries: Int?) {
        let raw = CollectionPlan.chunkSeconds(scrapeIntervalSeconds: scrapeIntervalSeconds, maxPointsPerSeries: maxPointsPerSeries)
        guard mode == .downsampled, window.end - window.start > CollectionPlan.combinedQueryMaxSeconds,
              let series = try await usageSeriesCount(at: window.end, namespaces: namespaces) else { return (raw, nil) }
        // Raw samples bound a raw chunk; a downsampled one is bound by its points budget and by
        // its answers' points per series, one a bucket.
        let perSeries = max(300, Int64(maxPointsPerSeries) * DownsampleQuery.bucketSeconds)
        return (min(perSeries, CollectionPlan.downsampledChunkSeconds(usageSeries: series, maxPoints: maxPointsPerChunk)), series)
    }

    static func namespaceMatchers(_ namespaces: [String]) -> [String] {
        namespaces.isEmpty ? [] : ["namespace=~\"\(namespaces.map(regexEscape).joined(separator: "|"))\""]
    }

    /// CPU and memory series present at `time` (one instant `count()` each), to size downsampled
    /// chunks; nil when Prometheus has none.
    func usageSeriesCount(at time: Int64, namespaces: [String] = []) async throws -> Int? {
        let matchers = Self.namespaceMatchers(namespaces)
        var total = 0
        for metric in querySet.metrics where DownsampleQuery.kind(of: metric) != .lastValue {
            let answer = try await api.query("count(last_over_time(\(metric.selector(adding: matchers))[1h]))", at: Double(time) - 0.001)
            total += Int(answer.first?.samples.last?.value ?? 0)
        }
        return total > 0 ? total : nil
    }

    /// One query of a chunk: a metric, the extra matchers that select part of it, and how many
    /// series they were chosen for.
    struct Request: Sendable {
        var metric: PrometheusQuerySet.Metric
        var matchers: [String]
        /// How many series the listing gave it. The label sets themselves are not kept: at
        /// 10,000 pods a chunk's listings were the largest part of the collector's memory. A
        /// refused request is listed again to be split.
        var seriesCount: Int
    }

    /// How many series each metric has over the whole run (lookback included), by index in the
    /// query set: one streamed, counted listing per metric. A metric whose count fits in one
    /// query is fetched unsplit in every chunk without listing it again (a chunk's series are
    /// among the run's), and one with none is not asked for at all; only bigger ones are listed
    /// per chunk to be split. Listing every metric for every chunk cost Prometheus 0.2–0.35 CPU
    /// seconds a chunk at 1,000 pods, a fifth of the whole collection.
    func seriesCounts(_ plan: CollectionPlan) async throws -> [Int] {
        let matchers = Self.namespaceMatchers(plan.namespaces)
        let from = Double(plan.start - plan.counterLookbackSeconds)
        let at = Double(plan.end) - 0.001
        var counts = Array(repeating: 0, count: querySet.metrics.count)
        try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            var pending = querySet.metrics.enumerated().makeIterator()
            func launch() {
                guard let (index, metric) = pending.next() else { return }
                group.addTask { (index, try await api.seriesCount(match: metric.selector(adding: matchers), start: from, end: at)) }
            }
            for _ in 0..<plan.concurrency { launch() }
            while let (index, count) = try await group.next() {
                counts[index] = count
                launch()
            }
        }
        return counts
    }

    /// Reads one chunk; `report(seriesDone, seriesListed, samples)` follows each query.
    /// `runSeries` are the run's series counts per metric (`seriesCounts`), when known.
    private func fetch(_ chunk: Range<Int64>, plan: CollectionPlan, runSeries: [Int]? = nil,
                       report: (Int, Int, Int) -> Void) async throws -> FetchedChunk {
        let from = Double(chunk.lowerBound - plan.counterLookbackSeconds)
        // Evaluating just before the chunk end takes samples in [start, end) on every
        // Prometheus version (closed or left-open range selectors alike).
        let at = Double(chunk.upperBound) - 0.001
        let namespaceMatchers = Self.namespaceMatchers(plan.namespaces)
        let limit = plan.seriesPerQuery(chunk: chunk)
        var fetched = FetchedChunk()
        if plan.usesCombinedQueries {
            do {
                try await fetchCombined(chunk, plan: plan, matchers: namespaceMatchers, into: &fetched)
                report(fetched.series, fetched.series, fetched.samples)
                return fetched
            } catch let error as PrometheusError where error.isOverload {
                // Too big as one query: the chunk goes the long way, listed and split.
                fetched = FetchedChunk()
                fetched.overloadSplits += 1
            }
        }

        // List series first: it sizes the queries (split by namespace, pod or another label) and
        // the progress. Metrics the run's counts show to fit in one query need no listing.
        var requests: [Request] = []
        var listed = 0
        try await withThrowingTaskGroup(of: (PrometheusQuerySet.Metric, [[String: String]]).self) { group in
            for (index, metric) in querySet.metrics.enumerated() {
                if let count = runSeries?[index], count <= limit {
                    if count > 0 { requests.append(Request(metric: metric, matchers: namespaceMatchers, seriesCount: count)) }
                    listed += count
                    continue
                }
                group.addTask {
                    (metric, try await api.series(match: metric.selector(adding: namespaceMatchers), start: from, end: at))
                }
            }
            for try await (metric, labelSets) in group {
                listed += labelSets.count
                for part in try split(labelSets, metric: metric, limit: limit) {
                    requests.append(Request(metric: metric, matchers: namespaceMatchers + part.matchers, seriesCount: part.labelSets.count))
                }
            }
        }
        requests.sort { $0.metric.selector(adding: $0.matchers) < $1.metric.selector(adding: $1.matchers) }

        // Each statistic of a usage request is its own query, so the two in flight are any two
        // (a chunk's CPU statistics one after another were the longest path through it).
        var grids: [Int: SharedBuckets] = [:]
        var remaining: [Int: Int] = [:]
        var abandoned = Set<Int>()
        func units(of index: Int) -> [QueryUnit] {
            let request = requests[index]
            let kind = DownsampleQuery.kind(of: request.metric)
            guard plan.mode == .downsampled, kind != .lastValue else { return [.whole(index)] }
            let statistics = DownsampleQuery.statistics(kind, selector: request.metric.selector(adding: request.matchers),
                                                        scrapeIntervalSeconds: plan.scrapeIntervalSeconds)
            grids[index] = SharedBuckets(DownsampledBuckets(starts: chunk))
            remaining[index] = statistics.count
            return statistics.map { .statistic(index, $0) }
        }
        // Units are kept here and handed to tasks by position.
        var allUnits = requests.indices.flatMap(units(of:))
        try await withThrowingTaskGroup(of: UnitOutcome.self) { group in
            var pending = ArraySlice(allUnits.indices)
            func launch() {
                guard let position = pending.popFirst() else { return }
                switch allUnits[position] {
                case .whole(let index):
                    let request = requests[index]
                    group.addTask {
                        do { return UnitOutcome(position: position, answer: try await query(request, chunk: chunk, plan: plan)) } catch {
                            return UnitOutcome(position: position, error: error)
                        }
                    }
                case .statistic(let index, let statistic):
                    let kind = DownsampleQuery.kind(of: requests[index].metric)
                    let grid = grids[index]
                    group.addTask {
                        do {
                            try await query(statistic, kind: kind, chunk: chunk, into: grid)
                            return UnitOutcome(position: position)
                        } catch { return UnitOutcome(position: position, error: error) }
                    }
                }
            }
            for _ in 0..<plan.concurrency { launch() }
            while let outcome = try await group.next() {
                let index = allUnits[outcome.position].request
                switch outcome.result {
                case .success(let answer):
                    guard !abandoned.contains(index) else { break }
                    var whole = answer
                    if answer == nil {
                        remaining[index, default: 1] -= 1
                        if remaining[index] == 0, let grid = grids.removeValue(forKey: index) { whole = .buckets(grid.buckets.withLock { $0 }) }
                    }
                    guard let whole else { break }
                    let parsing = ContinuousClock.now
                    try add(whole, request: requests[index], chunk: chunk, plan: plan, to: &fetched)
                    fetched.parseSeconds += (ContinuousClock.now - parsing).secondsValue
                    report(fetched.series, listed, fetched.samples)
                case .failure(let error as PrometheusError) where error.isOverload && requests[index].seriesCount > 1:
                    // A statistic of a request already being split again.
                    guard !abandoned.contains(index) else { break }
                    // Too big for this Prometheus: back off, then ask for the same series in halves
                    // (whatever its other statistics brought back is dropped with it).
                    abandoned.insert(index)
                    grids[index] = nil
                    pending = pending.filter { allUnits[$0].request != index }[...]
                    fetched.overloadSplits += 1
                    try await Task.sleep(for: api.retry.delay(beforeRetry: min(fetched.overloadSplits, 6)))
                    let request = requests[index]
                    let labelSets = try await api.series(match: request.metric.selector(adding: request.matchers), start: from, end: at)
                    guard labelSets.count > 1 else { throw error }
                    let halves = try split(labelSets, metric: request.metric, limit: max(1, labelSets.count / 2), force: true)
                    let first = requests.count
                    requests += halves.map { Request(metric: request.metric, matchers: request.matchers + $0.matchers, seriesCount: $0.labelSets.count) }
                    let firstUnit = allUnits.count
                    allUnits += (first..<requests.count).flatMap(units(of:))
                    pending = (Array(firstUnit..<allUnits.count) + Array(pending))[...]
                case .failure(let error):
                    throw error
                }
                launch()
            }
        }
        return fetched
    }

    /// A short range (what the service collects every 5 minutes) in two queries, run at once so
    /// Prometheus evaluates them on two cores: every statistic of the usage metrics, and the last
    /// values of every other metric, each tagged with its metric and statistic and joined by `or`.
    /// No listing, no split: a few points per series.
    private func fetchCombined(_ chunk: Range<Int64>, plan: CollectionPlan, matchers: [String], into fetched: inout FetchedChunk) async throws {
        let metricLabel = "__headroom_metric"
        var usageParts: [String] = []
        var otherParts: [String] = []
        for (index, metric) in querySet.metrics.enumerated() {
            let kind = DownsampleQuery.kind(of: metric)
            let selector = metric.selector(adding: matchers)
            for statistic in DownsampleQuery.statistics(kind, selector: selector, scrapeIntervalSeconds: plan.scrapeIntervalSeconds) {
                let tagged = "label_replace(\(statistic.expression), \"\(metricLabel)\", \"\(index)\", \"\", \"\")"
                let part = "label_replace(\(tagged), \"\(DownsampleQuery.statLabel)\", \"\(statistic.stat)\", \"\", \"\")"
                if kind == .lastValue { otherParts.append(part) } else { usageParts.append(part) }
            }
        }
        // Last values from the chunk's start (the state in force then); usage from the end of its
        // first bucket, each evaluation summarising the bucket before it.
        let api = api
        func read(_ parts: [String], _ kind: DownsampleQuery.Kind) async throws -> [PrometheusSeries] {
            guard !parts.isEmpty else { return [] }
            let times = DownsampleQuery.evaluationRange(kind, chunk: chunk)
            return try await api.queryRange(DownsampleQuery.union(parts), start: times.start, end: times.end,
                                            step: DownsampleQuery.bucketSeconds)
        }
        // The bucket still open after the last whole one: the usage statistics over its part so
        // far, read at its end as if it closed there.
        var openParts: [String] = []
        let openEnd = chunk.upperBound == plan.end ? plan.openBucketEnd : nil
        if let openEnd {
            for (index, metric) in querySet.metrics.enumerated() where DownsampleQuery.kind(of: metric) != .lastValue {
                let selector = metric.selector(adding: matchers)
                for statistic in DownsampleQuery.statistics(DownsampleQuery.kind(of: metric), selector: selector,
                                                            scrapeIntervalSeconds: plan.scrapeIntervalSeconds, seconds: openEnd - chunk.upperBound) {
                    let tagged = "label_replace(\(statistic.expression), \"\(metricLabel)\", \"\(index)\", \"\", \"\")"
                    openParts.append("label_replace(\(tagged), \"\(DownsampleQuery.statLabel)\", \"\(statistic.stat)\", \"\", \"\")")
                }
            }
        }
        func readOpen() async throws -> [PrometheusSeries] {
            guard let openEnd, !openParts.isEmpty else { return [] }
            return try await api.query(DownsampleQuery.union(openParts), at: Double(openEnd))
        }
        async let usage = read(usageParts, .gaugeUsage)
        async let others = read(otherParts, .lastValue)
        async let open = readOpen()
        let answer = try await usage + others
        let openAnswer = try await open
        var byMetric: [Int: [PrometheusSeries]] = [:]
        for var series in answer {
            guard let index = series.labels.removeValue(forKey: metricLabel).flatMap(Int.init), querySet.metrics.indices.contains(index) else { continue }
            if DownsampleQuery.kind(of: querySet.metrics[index]) == .lastValue { series.labels[DownsampleQuery.statLabel] = nil }
            byMetric[index, default: []].append(series)
        }
        for (index, series) in byMetric.sorted(by: { $0.key < $1.key }) {
            let request = Request(metric: querySet.metrics[index], matchers: matchers, seriesCount: 0)
            let answer: Answer = DownsampleQuery.kind(of: request.metric) == .lastValue ? .series(series)
                : .buckets(DownsampledBuckets.grid(series, starts: chunk))
            try add(answer, request: request, chunk: chunk, plan: plan, to: &fetched)
        }
        guard let openEnd else { return }
        var openByMetric: [Int: [PrometheusSeries]] = [:]
        for var series in openAnswer {
            guard let index = series.labels.removeValue(forKey: metricLabel).flatMap(Int.init), querySet.metrics.indices.contains(index) else { continue }
            // Stamped as if the bucket closed now, so it lands in the open bucket.
            series.samples = series.samples.map { (Double(chunk.upperBound + DownsampleQuery.bucketSeconds), $0.value) }
            openByMetric[index, default: []].append(series)
        }
        for (index, series) in openByMetric.sorted(by: { $0.key < $1.key }) {
            var grid = DownsampledBuckets.grid(series, starts: chunk.upperBound..<(chunk.upperBound + DownsampleQuery.bucketSeconds))
            grid.samplesEndMillis = openEnd * 1000
            try add(.buckets(grid), request: Request(metric: querySet.metrics[index], matchers: matchers, seriesCount: 0), chunk: chunk, plan: plan, to: &fetched)
        }
        fetched.openBucketRead = true
    }

    /// What one request brings back: series of samples (raw, or last values), or the usage
    /// statistics already set into their buckets.
    enum Answer {
        case series([PrometheusSeries])
        case buckets(DownsampledBuckets)
    }

    /// The query of a request read whole: raw samples in the chunk (and the counter lookback),
    /// or downsampled last values. A downsampled usage request goes statistic by statistic
    /// instead (`query(_:kind:chunk:into:)`), each a unit of its own.
    private func query(_ request: Request, chunk: Range<Int64>, plan: CollectionPlan) async throws -> Answer {
        switch plan.mode {
        case .raw:
            let range = chunk.upperBound - chunk.lowerBound + plan.counterLookbackSeconds
            return .series(try await api.rawSamples(selector: request.metric.selector(adding: request.matchers), rangeSeconds: range,
                                                    at: Double(chunk.upperBound) - 0.001))
        case .downsampled:
            return .series(try await lastValues(request, chunk: chunk))
        }
    }

    /// One statistic of a usage request, streamed series by series into its buckets.
    private func query(_ statistic: DownsampleQuery.Statistic, kind: DownsampleQuery.Kind, chunk: Range<Int64>, into grid: SharedBuckets?) async throws {
        guard let grid, let stat = DownsampledBuckets.Stat(statistic.stat) else { return }
        let times = DownsampleQuery.evaluationRange(kind, chunk: chunk)
        try await api.queryRange(statistic.expression, start: times.start, end: times.end, step: DownsampleQuery.bucketSeconds) { series in
            grid.buckets.withLock { $0.set(stat, labels: series.labels, samples: series.samples) }
        }
    }

    /// Series that rarely change (kube-state-metrics): an instant `changes()` over the chunk tells
    /// whether any series of the request changed. If one did, the request is read bucket by
    /// bucket; if none did, one instant query gives every last value, stamped at the chunk's start:
    /// the value in force all through it. Metrics read only for their labels
    /// (`DownsampleQuery.labelOnlyMetrics`) skip the `changes()` query.
    private func lastValues(_ request: Request, chunk: Range<Int64>) async throws -> [PrometheusSeries] {
        let selector = request.metric.selector(adding: request.matchers)
        // From the bucket before the chunk, so a change at its very start counts.
        let seconds = chunk.upperBound - chunk.lowerBound + DownsampleQuery.bucketSeconds
        let end = Double(chunk.upperBound)
        if !DownsampleQuery.labelOnlyMetrics.contains(request.metric.metric),
           try await !api.query(DownsampleQuery.changed(selector, seconds: seconds), at: end).isEmpty {
            let times = DownsampleQuery.evaluationRange(.lastValue, chunk: chunk)
            return try await api.queryRange(DownsampleQuery.lastValue(selector), start: times.start, end: times.end, step: DownsampleQuery.bucketSeconds)
        }
        return try await api.query(DownsampleQuery.last(selector, seconds: seconds), at: end).compactMap { series in
            series.samples.last.map { PrometheusSeries(labels: series.labels, samples: [(Double(chunk.lowerBound), $0.value)]) }
        }
    }

    private func add(_ answer: Answer, request: Request, chunk: Range<Int64>, plan: CollectionPlan, to fetched: inout FetchedChunk) throws {
        let metric = request.metric
        let kind = plan.mode == .raw ? .lastValue : DownsampleQuery.kind(of: metric)
        func failure(_ error: ExpositionSyntaxError) -> PrometheusError {
            PrometheusError(endpoint: api.baseURL, query: metric.selector(adding: request.matchers), reason: error.reason, isTransient: false)
        }
        func labels(of one: [String: String]) -> [Substring: String] {
            var labels: [Substring: String] = [:]
            for (key, value) in one { labels[Substring(key)] = value }
            for (name, source) in metric.labels ?? [:] { labels[Substring(name)] = one[source] }
            return labels
        }
        let series: [PrometheusSeries]
        switch answer {
        case .buckets(let grid):
            fetched.samples += grid.points
            fetched.nonFinite += try grid.forEachSeries(scale: kind == .counterUsage ? 1000 : 1,
                                                        // The open bucket's count is always asked for.
                                                        expectedCount: grid.samplesEndMillis == nil
                                                            ? DownsampleQuery.expectedCount(scrapeIntervalSeconds: plan.scrapeIntervalSeconds) : nil) { labelSet, buckets in
                fetched.series += 1
                do {
                    try fetched.state.add(buckets: buckets, of: metric.metric, labels: labels(of: labelSet), resource: kind == .counterUsage ? .cpu : .memory)
                } catch let error as ExpositionSyntaxError { throw failure(error) }
            }
            return
        case .series(let received):
            series = received
        }
        // A downsampled last value is stamped at its bucket's end; it belongs inside the bucket.
        let shift = plan.mode == .downsampled ? 0.001 : 0
        for one in series {
            fetched.series += 1
            let labels = labels(of: one.labels)
            for (stamp, value) in one.samples {
                let time = stamp - shift
                guard value.isFinite else {
                    fetched.nonFinite += 1
                    continue
                }
                fetched.samples += 1
                let sample = ExpositionSample(name: Substring(metric.metric), labels: labels, value: value, timestamp: time)
                do {
                    try fetched.state.add(sample, time: time, line: 0)
                } catch { throw failure(error) }
            }
        }
    }

    /// The parts of a selection that keep each query under `limit` series, each with its extra
    /// matchers and the series it selects: one part without matchers when the selection is
    /// small (and `force`, for a query Prometheus refused, is false); else the series are
    /// grouped by a label and the groups packed into queries, a group too big for one query
    /// being split again by another label. Labels are tried in the order
    /// namespace, pod, then the one with the most distinct values (node, persistentvolume,
    /// deployment…), so metrics without a pod label (nodes, volumes) split as well as container
    /// metrics. A group no label can split any further is an error naming its query: every
    /// listed series is fetched, or the collection fails.
    func split(_ labelSets: [[String: String]], metric: PrometheusQuerySet.Metric, limit: Int,
               force: Bool = false) throws -> [(matchers: [String], labelSets: [[String: String]])] {
        guard force || labelSets.count > limit else { return [([], labelSets)] }
        return try split(labelSets, fixed: [], used: [], metric: metric, limit: max(1, limit))
    }

    private func split(_ sets: [[String: String]], fixed: [String], used: Set<String>, metric: PrometheusQuerySet.Metric,
                       limit: Int) throws -> [(matchers: [String], labelSets: [[String: String]])] {
        func distinct(_ label: String) -> Int { Set(sets.map { $0[label] ?? "" }).count }
        let candidates = Set(sets.flatMap(\.keys)).subtracting(used).subtracting(["__name__"]).filter { distinct($0) > 1 }
        let preferred = [metric.sourceLabel("namespace"), metric.sourceLabel("pod")].first { candidates.contains($0) }
        guard let label = preferred ?? candidates.max(by: { (distinct($0), $1) < (distinct($1), $0) }) else {
            throw PrometheusError(endpoint: api.baseURL, query: metric.selector(adding: fixed),
                                  reason: "selects \(sets.count) series, more than the \(limit) allowed per query (--max-series-per-query, --max-samples-per-query), and no label splits them further",
                                  isTransient: false)
        }
        var result: [(matchers: [String], labelSets: [[String: String]])] = []
        var packed: [String] = []
        var packedSets: [[String: String]] = []
        func flush() {
            if !packed.isEmpty { result.append((fixed + ["\(label)=~\"\(packed.map(regexEscape).joined(separator: "|"))\""], packedSets)) }
            packed = []
            packedSets = []
        }
        for (value, members) in Dictionary(grouping: sets, by: { $0[label] ?? "" }).sorted(by: { $0.key < $1.key }) {
            if members.count > limit {
                result += try split(members, fixed: fixed + ["\(label)=\"\(value)\""], used: used.union([label]), metric: metric, limit: limit)
                continue
            }
            if packedSets.count + members.count > limit { flush() }
            packed.append(value)
            packedSets += members
        }
        flush()
        return result
    }

    /// Buckets missing between a container's first and last CPU bucket of the chunk.
    static func gaps(in batch: CollectedBatch) -> Int {
        var starts: [ContainerID: [Int64]] = [:]
        for bucket in batch.usage where bucket.resource == .cpu { starts[bucket.container, default: []].append(bucket.stats.start) }
        for run in batch.usageRuns where run.resource == .cpu { starts[run.container, default: []].append(contentsOf: run.stats.lazy.map(\.start)) }
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

/// One query of a chunk: a request read whole (raw samples, last values), or one statistic of a
/// downsampled usage request.
private enum QueryUnit: Sendable {
    case whole(Int)
    case statistic(Int, DownsampleQuery.Statistic)

    /// The request it belongs to, by index.
    var request: Int {
        switch self {
        case .whole(let index), .statistic(let index, _): index
        }
    }
}

/// What one unit's task brought back: a whole answer, nothing (a statistic streamed into its
/// request's buckets), or its failure.
private struct UnitOutcome: Sendable {
    var position: Int
    var result: Result<PrometheusCollector.Answer?, any Error>

    init(position: Int, answer: PrometheusCollector.Answer? = nil) {
        self.position = position
        result = .success(answer)
    }

    init(position: Int, error: any Error) {
        self.position = position
        result = .failure(error)
    }
}

/// A request's buckets, set from the HTTP client's thread as its answers stream in.
private final class SharedBuckets: Sendable {
    let buckets: Mutex<DownsampledBuckets>

    init(_ buckets: DownsampledBuckets) { self.buckets = Mutex(buckets) }
}
