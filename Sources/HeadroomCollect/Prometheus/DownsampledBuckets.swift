import HeadroomCore

/// Turns a downsampled answer (`DownsampleQuery`) back into bucket summaries: the series of one
/// source series (same labels but `__headroom_stat`) are joined bucket by bucket.
enum DownsampledBuckets {
    struct Series {
        var labels: [String: String]
        var buckets: [BucketStats]
    }

    struct Decoded {
        var series: [Series] = []
        /// Buckets dropped because Prometheus returned NaN or ±Inf for one of their statistics.
        var nonFinite = 0
    }

    /// `scale` turns values into Headroom's units (1000 for CPU cores → millicores). A bucket
    /// needs a count and a mean; a missing peak falls back to the mean, and a peak below the mean
    /// (the peak's window is shifted by up to one step) is raised to it.
    static func decode(_ answer: [PrometheusSeries], scale: Double) -> Decoded {
        struct Partial {
            var count: Double?
            var mean: Double?
            var max: Double?
        }
        var grouped: [[String: String]: [Int64: Partial]] = [:]
        for series in answer {
            var labels = series.labels
            guard let stat = labels.removeValue(forKey: DownsampleQuery.statLabel) else { continue }
            for (time, value) in series.samples {
                let start = DownsampleQuery.bucketStart(endingAt: time)
                switch stat {
                case "count": grouped[labels, default: [:]][start, default: Partial()].count = value
                case "mean": grouped[labels, default: [:]][start, default: Partial()].mean = value
                case "max": grouped[labels, default: [:]][start, default: Partial()].max = value
                default: continue
                }
            }
        }
        var decoded = Decoded()
        for (labels, partials) in grouped {
            var buckets: [BucketStats] = []
            for (start, partial) in partials.sorted(by: { $0.key < $1.key }) {
                guard let count = partial.count, count >= 1, let mean = partial.mean else { continue }
                guard count.isFinite, mean.isFinite, partial.max?.isFinite ?? true else {
                    decoded.nonFinite += 1
                    continue
                }
                let scaledMean = mean * scale
                let peak = Swift.max(scaledMean, (partial.max ?? mean) * scale)
                buckets.append(BucketStats(start: start, count: Int(Swift.min(count, 1_000_000)), mean: scaledMean, max: peak,
                                           firstSampleMillis: start * 1000,
                                           lastSampleMillis: (start + DownsampleQuery.bucketSeconds) * 1000 - 1))
            }
            if !buckets.isEmpty { decoded.series.append(Series(labels: labels, buckets: buckets)) }
        }
        decoded.series.sort { $0.labels.sorted(by: <).lexicographicallyPrecedes($1.labels.sorted(by: <), by: { ($0.key, $0.value) < ($1.key, $1.value) }) }
        return decoded
    }
}
