/// Order statistics in O(n) on average, for percentiles and medians of unsorted data.
public enum Quickselect {
    /// Rearranges `values` so that position `k` holds the k-th smallest value (Hoare's
    /// quickselect, median-of-three pivots) and returns it. `values` must hold no NaN.
    public static func select(_ values: inout [Double], _ k: Int) -> Double {
        var low = 0
        var high = values.count - 1
        while low < high {
            let mid = low + (high - low) / 2
            let pivot = Swift.max(Swift.min(values[low], values[mid]), Swift.min(Swift.max(values[low], values[mid]), values[high]))
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return values[k] }
        }
        return values[k]
    }
}
