/// Percentiles by linear interpolation between closest ranks (the "type 7" definition used by
/// NumPy's default and R's default): p = 0 is the minimum, p = 1 the maximum.
public enum Percentile {
    /// Returns the `p`-quantile of `values`, or nil for an empty input. `p` must be in [0, 1].
    /// Two quickselects instead of a sort (the same value as sorting: the rank's neighbours are
    /// the k-th and (k+1)-th smallest), so O(n) on average; NaN falls back to sorting.
    public static func of(_ values: [Double], _ p: Double) -> Double? {
        precondition((0...1).contains(p), "percentile must be within [0, 1]")
        guard !values.isEmpty else { return nil }
        guard !values.contains(where: \.isNaN) else { return ofSorted(values.sorted(), p) }
        var buffer = values
        let rank = p * Double(buffer.count - 1)
        let lower = Int(rank.rounded(.down))
        let fraction = rank - Double(lower)
        let low = Quickselect.select(&buffer, lower)
        guard fraction > 0, lower + 1 < buffer.count else { return low }
        // After selection everything after `lower` is ≥ it: the next order statistic is their minimum.
        let high = buffer[(lower + 1)...].min()!
        return low + (high - low) * fraction
    }

    /// As `of`, for input already sorted ascending (avoids re-sorting for several percentiles).
    public static func ofSorted(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = p * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
