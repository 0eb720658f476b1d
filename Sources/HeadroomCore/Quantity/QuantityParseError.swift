/// A resource quantity string that the Kubernetes API server would not accept, or that does not
/// fit the resource it was given for. The message quotes the input so a user can find it.
public struct QuantityParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text exactly as it was given.
    public let input: String
    /// Why it was rejected, in words a user can act on.
    public let reason: String

    public init(input: String, reason: String) {
        self.input = input
        self.reason = reason
    }

    public var description: String { "invalid quantity \"\(input)\": \(reason)" }
}
