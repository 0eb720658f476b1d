import Foundation

/// A histogram whose samples lose half their weight every `halfLife` seconds relative to newer
/// ones (`util/decaying_histogram.go`): a sample at `t` is stored with weight × 2^((t − ref)/halfLife),
/// `ref` a multiple of the half-life, moved (and the weights renormalized) once a sample is more
/// than 100 half-lives past it.
public struct DecayingHistogram: Sendable {
    public private(set) var histogram: Histogram
    public let halfLife: Double
    private var reference: Double = 0

    public init(options: HistogramOptions, halfLife: Double) {
        histogram = Histogram(options: options)
        self.halfLife = halfLife
    }

    public var isEmpty: Bool { histogram.isEmpty }

    public mutating func add(_ value: Double, weight: Double, time: Double) {
        shiftReference(to: time)
        histogram.add(value, weight: weight * pow(2, (time - reference) / halfLife))
    }

    /// Removes a sample added at `time` (its weight decayed alike).
    public mutating func subtract(_ value: Double, weight: Double, time: Double) {
        shiftReference(to: time)
        histogram.subtract(value, weight: weight * pow(2, (time - reference) / halfLife))
    }

    private mutating func shiftReference(to time: Double) {
        if time > reference + 100 * halfLife {
            let newReference = (time / halfLife).rounded(.toNearestOrAwayFromZero) * halfLife
            histogram.scale(by: pow(2, ((reference - newReference) / halfLife).rounded()))
            reference = newReference
        }
    }

    public func percentile(_ p: Double) -> Double { histogram.percentile(p) }
}
