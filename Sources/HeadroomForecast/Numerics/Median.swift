import HeadroomCore

/// The median by quickselect (average of the two middle values for even counts), O(n).
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    var buffer = values
    let middle = buffer.count / 2
    let upper = Quickselect.select(&buffer, middle)
    guard buffer.count % 2 == 0 else { return upper }
    // After selection every element before `middle` is ≤ it: the lower middle is their maximum.
    return (buffer[..<middle].max()! + upper) / 2
}
