/// Turns irregular samples into fixed buckets (5 minutes by default) holding mean and max.
///
/// Samples may come in any order. A repeated timestamp with the same value is one sample (a
/// re-scrape); a repeated timestamp with a different value is an error, as is a NaN or infinite
/// value: silently picking one would put a wrong number into every later decision.
public enum BucketAggregator {
    public static let fiveMinutes: Int64 = 300

    public static func aggregate(_ samples: [Sample], step: Int64 = fiveMinutes) throws(SeriesError) -> [BucketStats] {
        precondition(step > 0, "bucket step must be positive")
        for sample in samples {
            guard sample.value.isFinite, sample.time.isFinite else { throw SeriesError(reason: "non-finite value \(sample.value)", time: sample.time) }
            // No CPU rate (millicores) or working set (bytes) comes near 1 PiB; such a value is a unit
            // or counter mistake, and past it the integer conversions downstream would not hold.
            guard abs(sample.value) <= Double(InputLimits.maxBytes) else {
                throw SeriesError(reason: "value \(sample.value) is beyond any CPU or memory amount (over 2^50)", time: sample.time)
            }
            guard sample.time >= 0, sample.time < 100_000_000_000 else { throw SeriesError(reason: "time \(sample.time) is not unix seconds", time: nil) }
        }
        let sorted = isSortedByTime(samples) ? samples : samples.sorted { $0.time < $1.time }
        var result: [BucketStats] = []
        var current: (start: Int64, count: Int, sum: Double, max: Double, first: Int64, last: Int64)?
        var previous: Sample?
        for sample in sorted {
            if let previous, previous.time == sample.time {
                if previous.value == sample.value { continue }
                throw SeriesError(reason: "two different values (\(previous.value) and \(sample.value)) for one timestamp", time: sample.time)
            }
            previous = sample
            let millis = Int64((sample.time * 1000).rounded())
            let bucket = floorDiv(Int64(sample.time.rounded(.down)), step) * step
            if var open = current, open.start == bucket {
                open.count += 1
                open.sum += sample.value
                open.max = Swift.max(open.max, sample.value)
                open.last = millis
                current = open
            } else {
                if let open = current { result.append(finish(open)) }
                current = (bucket, 1, sample.value, sample.value, millis, millis)
            }
        }
        if let open = current { result.append(finish(open)) }
        return result
    }

    /// Irregular samples as a regular series of bucket means or maxima over `[from, to)`, with
    /// `nil` for buckets that received no sample.
    public static func series(
        _ samples: [Sample], statistic: BucketStatistic, from: Int64, to: Int64, step: Int64 = fiveMinutes
    ) throws(SeriesError) -> RegularSeries {
        let buckets = try aggregate(samples, step: step)
        return RegularSeries.gridded(start: from, end: to, step: step,
                                     buckets: buckets.lazy.map { (start: $0.start, value: $0.value(statistic)) })
    }

    private static func finish(_ open: (start: Int64, count: Int, sum: Double, max: Double, first: Int64, last: Int64)) -> BucketStats {
        BucketStats(start: open.start, count: open.count, mean: open.sum / Double(open.count), max: open.max,
                    firstSampleMillis: open.first, lastSampleMillis: open.last)
    }

    private static func isSortedByTime(_ samples: [Sample]) -> Bool {
        zip(samples, samples.dropFirst()).allSatisfy { $0.time <= $1.time }
    }
}
