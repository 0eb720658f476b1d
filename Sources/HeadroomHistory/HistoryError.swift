/// A history store failure, with the store path and the reason in its message.
public struct HistoryError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
