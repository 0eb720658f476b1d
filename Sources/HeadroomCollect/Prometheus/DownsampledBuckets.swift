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
    /// needs a mean; its count is `expectedCount` unless the answer gives one (the count query
    /// returns only the buckets that differ from it), and a count of 0 drops it. A missing peak
    /// falls back to the mean, and a peak below the mean (the peak's window is shifted by up to
    /// one step) is raised to it. Labels are hashed once per series, not per point.
    static func decode(_ answer: [PrometheusSeries], scale: Double, expectedCount: Int? = nil) -> Decoded {
        struct Partial {
            var count: Double?
            var mean: Double?
            var max: Double?
        }
        var index: [[String: String]: Int] = [:]
        var labelSets: [[String: String]] = []
        var partials: [[Int64: Partial]] = []
        for series in answer {
            var labels = series.labels
            guard let stat = labels.removeValue(forKey: DownsampleQuery.statLabel) else { continue }
            let slot: Int
            if let known = index[labels] {
                slot = known
            } else {
                slot = labelSets.count
                index[labels] = slot
                labelSets.append(labels)
                partials.append([:])
            }
            partials[slot].reserveCapacity(series.samples.count)
            for (time, value) in series.samples {
                let start = DownsampleQuery.bucketStart(endingAt: time)
                switch stat {
                case "count": partials[slot][start, default: Partial()].count = value
                case "mean": partials[slot][start, default: Partial()].mean = value
                case "max": partials[slot][start, default: Partial()].max = value
                default: continue
                }
            }
        }
        var decoded = Decoded()
        for (slot, labels) in labelSets.enumerated() {
            var buckets: [BucketStats] = []
            buckets.reserveCapacity(partials[slot].count)
            for (start, partial) in partials[slot] {
                guard let mean = partial.mean, let count = partial.count ?? expectedCount.map(Double.init), count >= 1 else { continue }
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
            buckets.sort { $0.start < $1.start }
            if !buckets.isEmpty { decoded.series.append(Series(labels: labels, buckets: buckets)) }
        }
        return decoded
    }
}
