/// The VPA recommender's weighted histogram (`util/histogram.go`): bucket weights, a total, and
/// the first and last buckets heavier than epsilon.
public struct Histogram: Sendable, Hashable {
    public let options: HistogramOptions
    public private(set) var weights: [Double]
    public private(set) var totalWeight = 0.0
    private(set) var minBucket: Int
    private(set) var maxBucket = 0

    public init(options: HistogramOptions) {
        self.options = options
        weights = [Double](repeating: 0, count: options.numBuckets)
        minBucket = options.numBuckets - 1
    }

    /// Empty when its first non-empty bucket weighs less than epsilon.
    public var isEmpty: Bool { weights[minBucket] < options.epsilon }

    public mutating func add(_ value: Double, weight: Double) {
        let bucket = options.findBucket(value)
        weights[bucket] += weight
        totalWeight += weight
        if weights[bucket] >= options.epsilon {
            minBucket = Swift.min(minBucket, bucket)
            maxBucket = Swift.max(maxBucket, bucket)
        }
    }

    /// Saturating removal; emptied buckets move the first/last markers inward.
    public mutating func subtract(_ value: Double, weight: Double) {
        let bucket = options.findBucket(value)
        totalWeight -= weight
        if totalWeight < options.epsilon { totalWeight = 0 }
        weights[bucket] -= weight
        if weights[bucket] < options.epsilon { weights[bucket] = 0 }
        while minBucket < maxBucket && weights[minBucket] < options.epsilon { minBucket += 1 }
        while maxBucket > minBucket && weights[maxBucket] < options.epsilon { maxBucket -= 1 }
    }

    /// Sets the weights wholesale (a loaded checkpoint) and recomputes the first and last
    /// buckets heavier than epsilon, so lighter ones stop counting.
    mutating func replaceWeights(_ newWeights: [Double], total: Double) {
        weights = newWeights
        totalWeight = total
        scale(by: 1)
    }

    /// Multiplies every weight (decaying histograms renormalize this way); buckets that fall
    /// below epsilon stop counting.
    public mutating func scale(by factor: Double) {
        for index in weights.indices {
            weights[index] *= factor
            if weights[index] < options.epsilon { weights[index] = 0 }
        }
        totalWeight *= factor
        if let first = weights.firstIndex(where: { $0 >= options.epsilon }), let last = weights.lastIndex(where: { $0 >= options.epsilon }) {
            minBucket = first
            maxBucket = last
        } else {
            minBucket = options.numBuckets - 1
            maxBucket = 0
        }
    }

    /// The end of the bucket where the running weight from the first non-empty bucket reaches
    /// `p × total` (the scan stops at the last non-empty bucket); the start of the final bucket
    /// of the scheme, which has no end; 0 for an empty histogram.
    public func percentile(_ p: Double) -> Double {
        guard !isEmpty else { return 0 }
        let threshold = p * totalWeight
        var sum = 0.0
        var bucket = minBucket
        while bucket < maxBucket {
            sum += weights[bucket]
            if sum >= threshold { break }
            bucket += 1
        }
        return bucket < options.numBuckets - 1 ? options.bucketStart(bucket + 1) : options.bucketStart(bucket)
    }
}
