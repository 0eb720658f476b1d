/// One observation of a metric: a time in unix seconds (fractions allowed, scrapes are in
/// milliseconds) and a value.
public struct Sample: Hashable, Sendable, Codable {
    public var time: Double
    public var value: Double

    public init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }
}
