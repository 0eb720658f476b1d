/// A histogram as the VPA stores it in its `VerticalPodAutoscalerCheckpoint` objects
/// (`util/histogram.go` SaveToChekpoint / LoadFromCheckpoint): bucket weights scaled so the
/// heaviest is 10,000 and rounded to integers (zeros dropped), beside the exact total weight.
public struct HistogramCheckpoint: Sendable, Hashable {
    public var totalWeight: Double
    public var bucketWeights: [Int: UInt32]

    public static let maxWeight = 10_000.0

    public init(totalWeight: Double, bucketWeights: [Int: UInt32]) {
        self.totalWeight = totalWeight
        self.bucketWeights = bucketWeights
    }

    public enum LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        case negativeTotal(Double)
        case bucketOutOfRange(Int, buckets: Int)

        public var description: String {
            switch self {
            case .negativeTotal(let total): "checkpoint total weight \(total) is negative"
            case .bucketOutOfRange(let bucket, let buckets): "checkpoint bucket \(bucket) is outside 0..<\(buckets)"
            }
        }
    }
}

extension Histogram {
    /// The checkpoint of this histogram: weights × 10,000 ÷ the heaviest, rounded half up.
    public var checkpoint: HistogramCheckpoint {
        let heaviest = weights.max() ?? 0
        var buckets: [Int: UInt32] = [:]
        if heaviest > 0 {
            let ratio = HistogramCheckpoint.maxWeight / heaviest
            for (bucket, weight) in weights.enumerated() {
                let stored = (weight * ratio + 0.5).rounded(.down)
                if stored >= 1 { buckets[bucket] = UInt32(min(stored, Double(UInt32.max))) }
            }
        }
        return HistogramCheckpoint(totalWeight: totalWeight, bucketWeights: buckets)
    }

    /// A histogram loaded from `checkpoint`: each bucket gets stored × total ÷ Σ stored; all-zero
    /// weights load nothing. A negative total or a bucket outside the scheme is an error.
    public init(options: HistogramOptions, loading checkpoint: HistogramCheckpoint) throws(HistogramCheckpoint.LoadError) {
        self.init(options: options)
        guard checkpoint.totalWeight >= 0 else { throw .negativeTotal(checkpoint.totalWeight) }
        for bucket in checkpoint.bucketWeights.keys where bucket < 0 || bucket >= options.numBuckets {
            throw .bucketOutOfRange(bucket, buckets: options.numBuckets)
        }
        let stored = checkpoint.bucketWeights.values.reduce(0.0) { $0 + Double($1) }
        guard stored > 0 else { return }
        var loaded = [Double](repeating: 0, count: options.numBuckets)
        for (bucket, weight) in checkpoint.bucketWeights { loaded[bucket] = Double(weight) * checkpoint.totalWeight / stored }
        replaceWeights(loaded, total: checkpoint.totalWeight)
    }
}
