/// A Kubernetes API or configuration problem, with what was asked and what to do about it.
public struct KubernetesError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
