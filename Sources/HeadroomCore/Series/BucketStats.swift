/// The samples that fell into one bucket, reduced to what the store keeps: count, mean, max,
/// and the first and last sample time (so partial buckets from two imports can be merged).
public struct BucketStats: Hashable, Sendable, Codable {
    /// Bucket start, unix seconds, a multiple of the step.
    public var start: Int64
    public var count: Int
    public var mean: Double
    public var max: Double
    /// Earliest and latest sample time in the bucket, unix milliseconds.
    public var firstSampleMillis: Int64
    public var lastSampleMillis: Int64

    public init(start: Int64, count: Int, mean: Double, max: Double, firstSampleMillis: Int64, lastSampleMillis: Int64) {
        self.start = start
        self.count = count
        self.mean = mean
        self.max = max
        self.firstSampleMillis = firstSampleMillis
        self.lastSampleMillis = lastSampleMillis
    }

    /// The bucket's mean or max.
    public func value(_ statistic: BucketStatistic) -> Double {
        statistic == .mean ? mean : max
    }

    /// Combines two summaries of disjoint sample sets of the same bucket.
    public func merged(with other: BucketStats) -> BucketStats {
        let total = count + other.count
        let combinedMean = total == 0 ? 0 : (mean * Double(count) + other.mean * Double(other.count)) / Double(total)
        return BucketStats(
            start: start, count: total, mean: combinedMean, max: Swift.max(max, other.max),
            firstSampleMillis: min(firstSampleMillis, other.firstSampleMillis),
            lastSampleMillis: Swift.max(lastSampleMillis, other.lastSampleMillis))
    }
}

/// Which per-bucket statistic a series carries.
public enum BucketStatistic: String, Sendable, CaseIterable, Codable {
    case mean
    case max
}
