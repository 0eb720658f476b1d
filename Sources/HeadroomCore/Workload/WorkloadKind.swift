/// The kind of object that owns a set of pods (`Deployment`, `StatefulSet`, …).
///
/// Kept open (a string wrapper, not a closed enum) because custom controllers own pods too.
public struct WorkloadKind: RawRepresentable, Hashable, Comparable, Sendable, Codable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let deployment = WorkloadKind(rawValue: "Deployment")
    public static let statefulSet = WorkloadKind(rawValue: "StatefulSet")
    public static let daemonSet = WorkloadKind(rawValue: "DaemonSet")
    public static let job = WorkloadKind(rawValue: "Job")
    public static let cronJob = WorkloadKind(rawValue: "CronJob")
    public static let replicaSet = WorkloadKind(rawValue: "ReplicaSet")
    public static let pod = WorkloadKind(rawValue: "Pod")

    /// Kinds with a pod template under `spec.template` (apps/v1), which a strategic-merge patch
    /// of requests and limits can change.
    public var isPatchable: Bool { self == .deployment || self == .statefulSet || self == .daemonSet }

    public static func < (lhs: WorkloadKind, rhs: WorkloadKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
