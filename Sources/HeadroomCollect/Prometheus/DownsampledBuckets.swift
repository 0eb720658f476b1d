import HeadroomCore

/// Turns downsampled answers (`DownsampleQuery`) back into bucket summaries: the answers for
/// one request's statistics are set, series by series as they stream in, into a fixed grid of
/// 5-minute buckets (25 bytes a bucket and series), then joined bucket by bucket.
///
/// Setting is idempotent: a series received again (a retried or re-read answer) overwrites what
/// it set, so nothing is counted twice.
struct DownsampledBuckets: Sendable {
    struct Series {
        var labels: [String: String]
        var buckets: [BucketStats]
    }

    struct Decoded {
        var series: [Series] = []
        /// Buckets dropped because Prometheus returned NaN or ±Inf for one of their statistics.
        var nonFinite = 0
    }

    enum Stat: Int, Sendable {
        case count, mean, max

        init?(_ name: String) {
            switch name {
            case "count": self = .count
            case "mean": self = .mean
            case "max": self = .max
            default: return nil
            }
        }
    }

    /// The start of the first bucket, and how many follow it.
    let firstStart: Int64
    let bucketCount: Int
    private var index: [[String: String]: Int] = [:]
    private var labelSets: [[String: String]] = []
    /// Per series and bucket: count, mean, max.
    private var values: [Double] = []
    /// Per series and bucket: which statistics are set (bit 1 << stat).
    private var present: [UInt8] = []
    /// Points received (a series received again counts again).
    private(set) var points = 0
    /// Points stamped outside the grid, ignored.
    private(set) var outside = 0
    /// For the open bucket: where its samples end so far (milliseconds, exclusive), instead of
    /// the bucket's own end.
    var samplesEndMillis: Int64?

    /// A grid for the buckets starting in `starts` (multiples of 5 minutes).
    init(starts: Range<Int64>) {
        firstStart = starts.lowerBound
        bucketCount = Int(max(0, (starts.upperBound - starts.lowerBound + DownsampleQuery.bucketSeconds - 1) / DownsampleQuery.bucketSeconds))
    }

    /// Sets one statistic of one series (its labels without `__headroom_stat`) from an answer
    /// stamped at bucket ends.
    mutating func set(_ stat: Stat, labels: [String: String], samples: [(time: Double, value: Double)]) {
        let slot: Int
        if let known = index[labels] {
            slot = known
        } else {
            slot = labelSets.count
            index[labels] = slot
            labelSets.append(labels)
            values.append(contentsOf: repeatElement(0, count: bucketCount * 3))
            present.append(contentsOf: repeatElement(0, count: bucketCount))
        }
        for (time, value) in samples {
            points += 1
            guard time.isFinite, abs(time) < 1e15 else {
                outside += 1
                continue
            }
            let start = DownsampleQuery.bucketStart(endingAt: time)
            let offset = (start - firstStart) / DownsampleQuery.bucketSeconds
            guard start >= firstStart, offset < bucketCount else {
                outside += 1
                continue
            }
            let cell = slot * bucketCount + Int(offset)
            values[cell * 3 + stat.rawValue] = value
            present[cell] |= 1 << UInt8(stat.rawValue)
        }
    }

    /// Every series with its buckets, in the order they first arrived, buckets in time order.
    /// `scale` turns values into Headroom's units (1000 for CPU cores → millicores). A bucket
    /// needs a mean; its count is `expectedCount` unless the answer gives one (the count query
    /// returns only the buckets that differ from it), and a count of 0 drops it. A missing peak
    /// falls back to the mean, and a peak below the mean (the peak's window is shifted by up to
    /// one step) is raised to it. Returns the buckets dropped for a NaN or ±Inf statistic.
    @discardableResult
    func forEachSeries(scale: Double, expectedCount: Int?, _ body: ([String: String], [BucketStats]) throws -> Void) rethrows -> Int {
        var nonFinite = 0
        var buckets: [BucketStats] = []
        for (slot, labels) in labelSets.enumerated() {
            buckets.removeAll(keepingCapacity: true)
            for offset in 0..<bucketCount {
                let cell = slot * bucketCount + offset
                let flags = present[cell]
                guard flags & 2 != 0 else { continue }
                let mean = values[cell * 3 + 1]
                let count = flags & 1 != 0 ? values[cell * 3] : expectedCount.map(Double.init)
                guard let count, count >= 1 else { continue }
                let max = flags & 4 != 0 ? values[cell * 3 + 2] : mean
                guard count.isFinite, mean.isFinite, max.isFinite else {
                    nonFinite += 1
                    continue
                }
                let start = firstStart + Int64(offset) * DownsampleQuery.bucketSeconds
                let scaledMean = mean * scale
                buckets.append(BucketStats(start: start, count: Int(Swift.min(count, 1_000_000)), mean: scaledMean,
                                           max: Swift.max(scaledMean, max * scale), firstSampleMillis: start * 1000,
                                           lastSampleMillis: (samplesEndMillis ?? (start + DownsampleQuery.bucketSeconds) * 1000) - 1))
            }
            if !buckets.isEmpty { try body(labels, buckets) }
        }
        return nonFinite
    }

    /// A whole answer (series tagged with `__headroom_stat`) set into a grid for the buckets
    /// starting in `starts`.
    static func grid(_ answer: [PrometheusSeries], starts: Range<Int64>) -> DownsampledBuckets {
        var grid = DownsampledBuckets(starts: starts)
        for series in answer {
            var labels = series.labels
            guard let stat = labels.removeValue(forKey: DownsampleQuery.statLabel).flatMap(Stat.init) else { continue }
            grid.set(stat, labels: labels, samples: series.samples)
        }
        return grid
    }

    /// A whole answer's series and buckets (`grid`, then `forEachSeries`).
    static func decode(_ answer: [PrometheusSeries], starts: Range<Int64>, scale: Double, expectedCount: Int? = nil) -> Decoded {
        let grid = grid(answer, starts: starts)
        var decoded = Decoded()
        decoded.nonFinite = grid.forEachSeries(scale: scale, expectedCount: expectedCount) { labels, buckets in
            decoded.series.append(Series(labels: labels, buckets: buckets))
        }
        return decoded
    }
}
