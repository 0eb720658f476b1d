/// Approximate equality for floating-point results. Every call names its tolerance and why it
/// is enough (rounding of a formatted fixture, a sum of many terms…), so a loosened tolerance
/// is visible in review.
public func approximately(_ actual: Double, _ expected: Double, tolerance: Double, because reason: StaticString) -> Bool {
    _ = reason
    return abs(actual - expected) <= tolerance
}
