import Foundation
import HeadroomCore

/// A VPA container policy, parsed: what a recommender must honour when it writes a VPA's status.
public struct VPAContainerPolicy: Sendable, Equatable {
    public enum Mode: String, Sendable { case auto = "Auto", off = "Off" }
    /// A container's name, or `*` for the VPA's default policy.
    public var containerName: String
    public var mode: Mode
    public var minAllowed: ResourceAmounts
    public var maxAllowed: ResourceAmounts
    public var controlledResources: Set<ResourceKind>

    public init(containerName: String = "*", mode: Mode = .auto, minAllowed: ResourceAmounts = .none, maxAllowed: ResourceAmounts = .none,
                controlledResources: Set<ResourceKind> = [.cpu, .memory]) {
        self.containerName = containerName
        self.mode = mode
        self.minAllowed = minAllowed
        self.maxAllowed = maxAllowed
        self.controlledResources = controlledResources
    }
}

/// One container's recommendation before the VPA's policy applies.
public struct VPARecommendationInput: Sendable, Equatable {
    public var container: String
    public var target: ResourceAmounts
    public var lowerBound: ResourceAmounts
    public var upperBound: ResourceAmounts
    /// Short or patchy history: the status says `LowConfidence`.
    public var lowConfidence: Bool

    public init(container: String, target: ResourceAmounts, lowerBound: ResourceAmounts, upperBound: ResourceAmounts, lowConfidence: Bool) {
        self.container = container
        self.target = target
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.lowConfidence = lowConfidence
    }
}

/// The `status` a custom recommender writes into a VerticalPodAutoscaler, the way the upstream
/// recommender does: per container `target`, `lowerBound`, `upperBound` (each capped to the
/// policy's minAllowed/maxAllowed) and `uncappedTarget`, only for controlled resources and never
/// for a container whose policy mode is Off; conditions `RecommendationProvided`,
/// `LowConfidence` and `NoPodsMatched`. Encoded as the body of a JSON merge patch of the status
/// subresource.
public struct VPAStatus: Sendable, Encodable, Equatable {
    public struct ContainerRecommendation: Sendable, Encodable, Equatable {
        public var containerName: String
        public var target: [String: String]
        public var lowerBound: [String: String]
        public var upperBound: [String: String]
        public var uncappedTarget: [String: String]
    }
    public struct Recommendation: Sendable, Encodable, Equatable {
        public var containerRecommendations: [ContainerRecommendation]
    }
    public struct Condition: Sendable, Encodable, Equatable {
        public var type: String
        public var status: String
        public var reason: String
        public var message: String
        public var lastTransitionTime: String
    }
    public var recommendation: Recommendation?
    public var conditions: [Condition]

    private enum CodingKeys: String, CodingKey { case recommendation, conditions }

    /// A missing recommendation is written as null, so the merge patch removes an earlier one.
    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        if let recommendation { try keyed.encode(recommendation, forKey: .recommendation) } else { try keyed.encodeNil(forKey: .recommendation) }
        try keyed.encode(conditions, forKey: .conditions)
    }

    /// - Parameters:
    ///   - containers: the recommendations for the VPA's target workload (empty: no pods matched).
    ///   - policies: the VPA's container policies (`*` is the default for unnamed containers).
    ///   - now: unix seconds, for the conditions' lastTransitionTime.
    public static func make(containers: [VPARecommendationInput], policies: [VPAContainerPolicy], recommender: String, now: Int64) -> VPAStatus {
        let time = Self.timestamp(now)
        guard !containers.isEmpty else {
            return VPAStatus(recommendation: nil, conditions: [
                Condition(type: "RecommendationProvided", status: "False", reason: "NoPodsMatched",
                          message: "\(recommender) has no usage of the target workload", lastTransitionTime: time),
                Condition(type: "NoPodsMatched", status: "True", reason: "NoPodsMatched",
                          message: "\(recommender) found no containers of the target workload in its assessment", lastTransitionTime: time),
            ])
        }
        var recommendations: [ContainerRecommendation] = []
        var lowConfidence: [String] = []
        for input in containers.sorted(by: { $0.container < $1.container }) {
            let policy = policies.first { $0.containerName == input.container } ?? policies.first { $0.containerName == "*" } ?? VPAContainerPolicy()
            guard policy.mode == .auto, !policy.controlledResources.isEmpty else { continue }
            func amounts(_ value: ResourceAmounts, capped: Bool) -> [String: String] {
                var result: [String: String] = [:]
                if policy.controlledResources.contains(.cpu), var cpu = value.cpu {
                    if capped {
                        if let low = policy.minAllowed.cpu { cpu = max(cpu, low) }
                        if let high = policy.maxAllowed.cpu { cpu = min(cpu, high) }
                    }
                    result["cpu"] = cpu.canonical
                }
                if policy.controlledResources.contains(.memory), var memory = value.memory {
                    if capped {
                        if let low = policy.minAllowed.memory { memory = max(memory, low) }
                        if let high = policy.maxAllowed.memory { memory = min(memory, high) }
                    }
                    result["memory"] = String(memory.bytes)
                }
                return result
            }
            let target = amounts(input.target, capped: true)
            guard !target.isEmpty else { continue }
            recommendations.append(ContainerRecommendation(
                containerName: input.container, target: target, lowerBound: amounts(input.lowerBound, capped: true),
                upperBound: amounts(input.upperBound, capped: true), uncappedTarget: amounts(input.target, capped: false)))
            if input.lowConfidence { lowConfidence.append(input.container) }
        }
        var conditions = [recommendations.isEmpty
            ? Condition(type: "RecommendationProvided", status: "False", reason: "NoControlledContainers",
                        message: "every container's policy is Off or controls no resource", lastTransitionTime: time)
            : Condition(type: "RecommendationProvided", status: "True", reason: "RecommendationProvided",
                        message: "\(recommender): forecast-backed recommendation for \(recommendations.count) container(s)", lastTransitionTime: time)]
        conditions.append(lowConfidence.isEmpty
            ? Condition(type: "LowConfidence", status: "False", reason: "EnoughHistory", message: "8 days or more of history, under a fifth of it missing",
                        lastTransitionTime: time)
            : Condition(type: "LowConfidence", status: "True", reason: "ShortOrPatchyHistory",
                        message: "under 8 days of history or over a fifth of it missing: \(lowConfidence.joined(separator: ", "))", lastTransitionTime: time))
        conditions.append(Condition(type: "NoPodsMatched", status: "False", reason: "PodsMatched", message: "the target workload's containers are assessed",
                                    lastTransitionTime: time))
        return VPAStatus(recommendation: recommendations.isEmpty ? nil : Recommendation(containerRecommendations: recommendations),
                         conditions: conditions)
    }

    /// The merge patch body: `{"status": …}`, keys sorted.
    public func patchBody() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(["status": self])
    }

    /// RFC 3339 UTC, seconds.
    static func timestamp(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle())
    }
}
