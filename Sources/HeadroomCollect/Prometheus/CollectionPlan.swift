import HeadroomCore

/// How samples come out of Prometheus.
public enum CollectionMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Prometheus summarises each 5-minute bucket (`DownsampleQuery`): a few points per bucket
    /// whatever the scrape interval.
    case downsampled
    /// Every stored sample through range selectors, bucketed here exactly as a file import is.
    case raw
}

/// What one collection run reads: the time range in chunks, the namespaces, and how hard it may
/// press on Prometheus.
public struct CollectionPlan: Sendable, Hashable {
    /// `[start, end)`, unix seconds, both on 5-minute boundaries.
    public var start: Int64
    public var end: Int64
    /// Length of one chunk; each chunk is fetched, stored and watermarked on its own.
    public var chunkSeconds: Int64
    /// Only these namespaces, when not empty.
    public var namespaces: [String]
    /// At most this many series per query; larger selections are split by namespace, then pod or another label.
    public var maxSeriesPerQuery: Int
    /// Queries in flight at once.
    public var concurrency: Int
    /// Extra history read before each chunk so counters have a previous sample at its start.
    public var counterLookbackSeconds: Int64
    public var mode: CollectionMode
    /// The source's scrape interval: how many samples a query touches, and the peak step of
    /// downsampled CPU.
    public var scrapeIntervalSeconds: Int64
    /// Samples a query may touch at most (series × the scrapes in its range); bigger selections
    /// are split. Well below Prometheus's `--query.max-samples` (50 million by default).
    public var maxSamplesPerQuery: Int
    /// Also read the bucket still open at the end, `[end, openBucketEnd)`, when the run is read
    /// in combined queries (`usesCombinedQueries`); nil: stop at `end`. The open bucket is
    /// stored as a partial summary and not watermarked, so the next run reads it whole and its
    /// fuller summary replaces the partial one.
    public var openBucketEnd: Int64?
    /// Chunk boundaries on multiples of `chunkSeconds` (the first and last chunks shorter), so
    /// runs that start at different times (the service's cycles, a resumed run) cut the same
    /// chunks, and restate inventory at the same instants; false: chunks from `start`.
    public var alignChunks = false

    public static let defaultMaxSamplesPerQuery = 5_000_000
    /// Series per query by default: high, since below Prometheus's limits every extra part
    /// repeats series selection in every subquery step; the samples limit does the sizing.
    public static let defaultMaxSeriesPerQuery = 20_000

    public init(start: Int64, end: Int64, chunkSeconds: Int64, namespaces: [String] = [], maxSeriesPerQuery: Int = defaultMaxSeriesPerQuery,
                concurrency: Int = 2, counterLookbackSeconds: Int64 = 600, mode: CollectionMode = .downsampled,
                scrapeIntervalSeconds: Int64 = 15, maxSamplesPerQuery: Int = defaultMaxSamplesPerQuery, openBucketEnd: Int64? = nil) {
        self.start = floorDiv(start, 300) * 300
        self.end = floorDiv(end, 300) * 300
        self.chunkSeconds = max(300, chunkSeconds / 300 * 300)
        self.namespaces = namespaces
        self.maxSeriesPerQuery = max(1, maxSeriesPerQuery)
        self.concurrency = max(1, concurrency)
        self.counterLookbackSeconds = counterLookbackSeconds
        self.mode = mode
        self.scrapeIntervalSeconds = max(1, scrapeIntervalSeconds)
        self.maxSamplesPerQuery = max(1, maxSamplesPerQuery)
        // Only a bucket that is open: after the last whole one, and before it would close.
        self.openBucketEnd = openBucketEnd.flatMap { $0 > self.end && $0 < self.end + 300 ? $0 : nil }
    }

    /// Series one query may select: under `maxSeriesPerQuery`, and under `maxSamplesPerQuery`
    /// for the scrapes one series has in a chunk (lookback included).
    public func seriesPerQuery(chunk: Range<Int64>) -> Int {
        let points = max(1, (chunk.upperBound - chunk.lowerBound + counterLookbackSeconds) / scrapeIntervalSeconds)
        return max(1, min(maxSeriesPerQuery, maxSamplesPerQuery / Int(points)))
    }

    /// The longest chunk (on 5-minute boundaries, at most a day) whose raw samples stay under
    /// `maxPointsPerSeries` per series at the given scrape interval, lookback included: by
    /// default Prometheus's 11,000-points-per-series limit.
    public static func chunkSeconds(scrapeIntervalSeconds: Int64, maxPointsPerSeries: Int = 11_000, lookbackSeconds: Int64 = 600) -> Int64 {
        let span = Int64(maxPointsPerSeries) * max(1, scrapeIntervalSeconds) - lookbackSeconds
        return min(86_400, max(300, span / 300 * 300))
    }

    /// Points a downsampled chunk may bring back, by default: memory follows the chunk, so a
    /// bigger cluster gets shorter chunks, not more memory.
    public static let defaultMaxPointsPerChunk = 600_000

    /// The chunk length (on 5-minute boundaries, between an hour and a week) whose downsampled
    /// answers hold at most `maxPoints` points for `usageSeries` CPU and memory series (three
    /// statistics per bucket). A small cluster gets long chunks, not less memory: a chunk's
    /// memory is the budget's whatever the cluster's size, and fewer chunks repeat the series
    /// selection fewer times. (A week stays far under Prometheus's 11,000 points per series.)
    public static func downsampledChunkSeconds(usageSeries: Int, maxPoints: Int = defaultMaxPointsPerChunk) -> Int64 {
        let buckets = Int64(maxPoints) / Int64(max(1, usageSeries) * 3)
        return min(7 * 86_400, max(3_600, buckets * 300))
    }

    /// A downsampled run this short (the service's 5-minute cycles) goes in combined queries.
    public static let combinedQueryMaxSeconds: Int64 = 3_600

    /// Whether the run is read in combined queries: a short range, not a long one cut into
    /// short chunks (a 10,000-pod backfill gets hour-long chunks, far too big to combine).
    public var usesCombinedQueries: Bool {
        mode == .downsampled && end - start <= Self.combinedQueryMaxSeconds
    }

    /// The chunks in time order.
    public var chunks: [Range<Int64>] {
        guard alignChunks else { return stride(from: start, to: end, by: Int(chunkSeconds)).map { $0..<min($0 + chunkSeconds, end) } }
        var chunks: [Range<Int64>] = []
        var lower = start
        while lower < end {
            let upper = min((floorDiv(lower, chunkSeconds) + 1) * chunkSeconds, end)
            chunks.append(lower..<upper)
            lower = upper
        }
        return chunks
    }
}

/// Where a run stands, for progress bars and logs.
public struct CollectionProgress: Sendable {
    public var chunksDone: Int
    public var chunksTotal: Int
    public var seriesDone: Int
    /// Series the whole run will read, estimated from the chunks listed so far.
    public var seriesTotal: Int
    public var samples: Int
    public var elapsedSeconds: Double

    /// Seconds left at the pace so far (by series read), once some are read.
    public var etaSeconds: Double? {
        guard seriesDone > 0, seriesTotal >= seriesDone else { return nil }
        return elapsedSeconds / Double(seriesDone) * Double(seriesTotal - seriesDone)
    }
}

/// What a run did.
public struct CollectionSummary: Sendable, Codable, Hashable {
    public var start: Int64
    public var end: Int64
    public var chunks: Int
    /// Series read (a series read in two chunks counts twice).
    public var series: Int
    /// Points Prometheus returned (raw samples, or bucket statistics when downsampled).
    public var samples: Int
    /// NaN and ±Inf samples dropped (Prometheus stores them; a bucket cannot use them).
    public var nonFiniteSamplesSkipped: Int
    /// HTTP requests sent to Prometheus (series listings and sample queries, retries excluded).
    public var queries: Int
    /// Bytes of Prometheus answers received (retries included).
    public var bytesReceived: Int
    /// Queries Prometheus refused as too big (422/503) and that were split and asked again.
    public var overloadSplits: Int
    public var mode: CollectionMode
    public var usageBuckets: Int
    /// The end of the open bucket read after the last whole one, when one was.
    public var openBucketEnd: Int64?
    /// Chunk boundaries on multiples of `chunkSeconds` (the first and last chunks shorter), so
    /// runs that start at different times (the service's cycles, a resumed run) cut the same
    /// chunks, and restate inventory at the same instants; false: chunks from `start`.
    public var alignChunks = false
    /// 5-minute buckets in the range where a container had no CPU sample although it had some
    /// before and after (scrape gaps, restarts).
    public var gaps: Int
    public var seconds: Double
    public var timings: CollectionTimings

    public init() {
        start = 0; end = 0; chunks = 0; series = 0; samples = 0; nonFiniteSamplesSkipped = 0; queries = 0
        bytesReceived = 0; overloadSplits = 0; mode = .downsampled
        usageBuckets = 0; gaps = 0; seconds = 0; timings = CollectionTimings()
    }
}
