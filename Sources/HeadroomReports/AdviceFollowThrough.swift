import HeadroomHistory

/// What became of the advice the previous week's report showed: the containers whose requests
/// now match what it recommended (within 5 %, and changed since), and what their cost did.
public struct AdviceFollowThrough: Sendable, Encodable {
    public struct Adoption: Sendable, Encodable, Hashable {
        public var container: String
        /// `cpu`, `memory`: the requests now as recommended.
        public var resources: [String]
        public var cpuRequestBeforeMillicores: Int64?
        public var cpuRequestNowMillicores: Int64?
        public var memoryRequestBeforeBytes: Int64?
        public var memoryRequestNowBytes: Int64?
        /// The container's cost this week minus the week before.
        public var weekChangeMicrodollars: Int64
        /// What the advice said it would save a month.
        public var expectedMonthlySavingMicrodollars: Int64
    }

    public var previousWeek: String
    /// Whether the previous week's report recorded its advice (the first report has none to follow).
    public var recorded: Bool
    /// Containers the previous advice asked to change.
    public var advised: Int
    public var adoptions: [Adoption]
    public var weekChangeMicrodollars: Int64 { adoptions.reduce(0) { $0 + $1.weekChangeMicrodollars } }

    /// - Parameters: `current` the requests now by container (`ContainerID.description`),
    ///   `weekChange` each container's cost change over the previous week.
    public static func of(previousWeek: String, recorded: [RecordedAdvice]?, current: [String: (cpu: Int64?, memory: Int64?)],
                          weekChange: [String: Int64]) -> AdviceFollowThrough {
        guard let recorded else { return AdviceFollowThrough(previousWeek: previousWeek, recorded: false, advised: 0, adoptions: []) }
        var advised = 0
        var adoptions: [Adoption] = []
        for advice in recorded {
            let cpuAdvised = differs(advice.cpuRequestMillicores, advice.recommendedCPURequestMillicores)
            let memoryAdvised = differs(advice.memoryRequestBytes, advice.recommendedMemoryRequestBytes)
            guard cpuAdvised || memoryAdvised else { continue }
            advised += 1
            guard let now = current[advice.container] else { continue }
            var resources: [String] = []
            if cpuAdvised && matches(now.cpu, advice.recommendedCPURequestMillicores) && differs(now.cpu, advice.cpuRequestMillicores) { resources.append("cpu") }
            if memoryAdvised && matches(now.memory, advice.recommendedMemoryRequestBytes) && differs(now.memory, advice.memoryRequestBytes) { resources.append("memory") }
            guard !resources.isEmpty else { continue }
            adoptions.append(Adoption(container: advice.container, resources: resources, cpuRequestBeforeMillicores: advice.cpuRequestMillicores,
                                      cpuRequestNowMillicores: now.cpu, memoryRequestBeforeBytes: advice.memoryRequestBytes, memoryRequestNowBytes: now.memory,
                                      weekChangeMicrodollars: weekChange[advice.container] ?? 0,
                                      expectedMonthlySavingMicrodollars: advice.monthlyMicrodollars - advice.recommendedMonthlyMicrodollars))
        }
        return AdviceFollowThrough(previousWeek: previousWeek, recorded: true, advised: advised, adoptions: adoptions.sorted { $0.container < $1.container })
    }

    /// Within 5 % of the recommendation (both present).
    static func matches(_ value: Int64?, _ recommended: Int64?) -> Bool {
        guard let value, let recommended else { return false }
        return abs(Double(value) - Double(recommended)) <= 0.05 * Double(max(abs(recommended), 1))
    }

    /// More than 5 % apart, or one of them missing while the other is set.
    static func differs(_ a: Int64?, _ b: Int64?) -> Bool {
        switch (a, b) {
        case (nil, nil): false
        case (nil, _), (_, nil): true
        default: !matches(a, b)
        }
    }
}
