import HeadroomCore

/// Fills the gaps of a regular series for fitting: linear interpolation between the nearest
/// observed neighbours, the nearest value at either end. Gaps stay gaps in scoring.
public enum GapFilling {
    /// The filled values, or nil when nothing was observed.
    public static func linear(_ series: RegularSeries) -> [Double]? {
        let values = series.values
        guard let firstIndex = values.firstIndex(where: { $0 != nil }) else { return nil }
        var filled = [Double](repeating: 0, count: values.count)
        var previous = firstIndex
        for index in 0..<firstIndex { filled[index] = values[firstIndex]! }
        filled[firstIndex] = values[firstIndex]!
        var index = firstIndex + 1
        while index < values.count {
            if let value = values[index] {
                let left = values[previous]!
                let span = Double(index - previous)
                for gap in (previous + 1)..<index { filled[gap] = left + (value - left) * Double(gap - previous) / span }
                filled[index] = value
                previous = index
            }
            index += 1
        }
        for gap in (previous + 1)..<values.count { filled[gap] = values[previous]! }
        return filled
    }
}
