/// Why the engine could not answer: the store lacks what the question needs, or an input is
/// invalid. The message names the input and what to do.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The store holds no data of the kind needed (run import, collect or cost allocate first).
        case missingData
        /// An input (option, configuration value) cannot be used.
        case invalidInput
    }
    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static let noUsage = EngineError(.missingData, "the history store holds no usage: run 'headroom import' or 'headroom collect' first")
    static let noCosts = EngineError(.missingData, "no stored costs: run 'headroom cost allocate' first")
}

/// Progress of long work, for a caller to show: a label, units done and the total.
public typealias ProgressHandler = @Sendable (_ label: String, _ done: Int, _ total: Int) -> Void
