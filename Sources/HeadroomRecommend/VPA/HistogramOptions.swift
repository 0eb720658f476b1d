import Foundation

/// How a VPA histogram cuts values into buckets (`util/histogram_options.go` upstream):
/// exponential in production, linear in tests.
///
/// Exponential: bucket 0 is `[0, first)`; bucket n ≥ 1 starts at `first·(rⁿ − 1)/(r − 1)`, so
/// it is `first·rⁿ` wide; there are `ceil(log_r(max·(r − 1)/first + 1)) + 1` buckets and the
/// last has no end. Production: CPU max 1000 cores, first 0.01 core; memory max 1e12 bytes,
/// first 1e7 bytes; r = 1.05 — 176 buckets each (1.0 core and 1e9 bytes fall in bucket 36).
public struct HistogramOptions: Sendable, Hashable {
    public enum Scheme: Sendable, Hashable {
        case linear(bucketSize: Double)
        case exponential(firstBucketSize: Double, ratio: Double)
    }

    public let maxValue: Double
    public let scheme: Scheme
    /// Weight below which a bucket counts as empty.
    public let epsilon: Double
    public let numBuckets: Int

    public init(maxValue: Double, scheme: Scheme, epsilon: Double) {
        self.maxValue = maxValue
        self.scheme = scheme
        self.epsilon = epsilon
        switch scheme {
        case .linear(let size):
            numBuckets = Int((maxValue / size).rounded(.up)) + 1
        case .exponential(let first, let ratio):
            numBuckets = Int((log(maxValue * (ratio - 1) / first + 1) / log(ratio)).rounded(.up)) + 1
        }
    }

    /// Production CPU histogram (cores).
    public static let productionCPU = HistogramOptions(maxValue: 1000, scheme: .exponential(firstBucketSize: 0.01, ratio: 1.05), epsilon: 1e-4)
    /// Production memory histogram (bytes).
    public static let productionMemory = HistogramOptions(maxValue: 1e12, scheme: .exponential(firstBucketSize: 1e7, ratio: 1.05), epsilon: 1e-4)

    public func bucketStart(_ bucket: Int) -> Double {
        switch scheme {
        case .linear(let size):
            return Double(bucket) * size
        case .exponential(let first, let ratio):
            return bucket == 0 ? 0 : first * (pow(ratio, Double(bucket)) - 1) / (ratio - 1)
        }
    }

    public func findBucket(_ value: Double) -> Int {
        switch scheme {
        case .linear(let size):
            let bucket = Int(value / size)
            return min(max(bucket, 0), numBuckets - 1)
        case .exponential(let first, let ratio):
            guard value >= first else { return 0 }
            let bucket = Int((log(value * (ratio - 1) / first + 1) / log(ratio)).rounded(.down))
            return min(bucket, numBuckets - 1)
        }
    }
}
