/// The median by quickselect (average of the two middle values for even counts), O(n).
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    var buffer = values
    let middle = buffer.count / 2
    let upper = select(&buffer, middle)
    guard buffer.count % 2 == 0 else { return upper }
    // After selection every element before `middle` is ≤ it: the lower middle is their maximum.
    return (buffer[..<middle].max()! + upper) / 2
}

/// Rearranges `values` so that position `k` holds the k-th smallest value (Hoare's quickselect,
/// median-of-three pivots) and returns it.
func select(_ values: inout [Double], _ k: Int) -> Double {
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
