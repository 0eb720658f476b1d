import HeadroomCore

/// The out-of-sample sizing protocol (`headroom sizing evaluate`): every container sized from
/// its training part only, Headroom through `ContainerAdvisor` as `advise` sizes, the
/// baselines from the same training data, all scored on the evaluation windows; the baselines'
/// lower envelope is the frontier Headroom is measured against.
public struct SizingEvaluation: Sendable, Codable {
    /// Headroom's rows: the default risk target first, then the other targets and strategies asked for.
    public var headroom: [Row]
    /// The percentile family (training pXX × M; CPU only, memory at the training max × 1.15 as KRR's `simple`).
    public var percentile: [SizingScore]
    /// The upstream VPA recommender's target.
    public var vpa: SizingScore
    /// KRR's `simple` strategy: CPU p95 × 1, memory max × 1.15 (a member of the percentile family).
    public var krr: SizingScore
    public var overrunFrontier: SizingFrontier
    public var shortfallFrontier: SizingFrontier
    /// Containers idle in training (CPU P95 under 5m), left out of the worst overrun.
    public var idle: [String]
    public var containers: [String]

    public struct Row: Sendable, Codable {
        public var score: SizingScore
        public var strategy: String
        /// The CPU risk target (risk strategy), as a share.
        public var cpuRisk: Double?
        /// (frontier − cores) ÷ frontier at this row's own overrun, and at its own shortfall.
        public var savedAtOverrun: Double?
        public var savedAtShortfall: Double?
    }

    /// What Headroom is evaluated as: a strategy, and the CPU risk target for `risk`.
    public struct Variant: Sendable {
        public var strategy: ContainerAdvisor.Strategy
        public var cpuRisk: Double?

        public init(strategy: ContainerAdvisor.Strategy, cpuRisk: Double? = nil) {
            self.strategy = strategy
            self.cpuRisk = cpuRisk
        }

        var name: String {
            switch strategy {
            case .risk: "headroom risk \(cpuRisk.map { SizingEvaluation.percent($0) } ?? "default")"
            case .forecast: "headroom forecast"
            case .vpa: "headroom vpa"
            }
        }
    }

    public static let quantiles = [0.90, 0.95, 0.97, 0.98, 0.99, 0.995, 1.0]
    public static let multipliers = [1.0, 1.1, 1.15, 1.2, 1.3]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs the protocol over `traces` for each of `variants` (the first is the default).
    public static func evaluate(_ traces: [SizingTrace], variants: [Variant], memoryRisk: Double? = nil, jobs: Int = 1) async throws -> SizingEvaluation {
        guard !traces.isEmpty else { throw Failure(description: "no container to evaluate") }
        let histories = traces.map(\.history)
        let idle = Set(traces.filter { trace in
            CPUActivity(means: trace.trainingCPU.suffix(2016).map { $0 * 1000 }).isIdle
        }.map(\.name))

        let krrMemory = traces.map { ($0.trainingMemory.max() ?? 0) * 1.15 }
        var percentile: [SizingScore] = []
        let sorted = traces.map { $0.trainingCPU.sorted() }
        for quantile in quantiles {
            let levels = sorted.map { Percentile.ofSorted($0, quantile) ?? 0 }
            for multiplier in multipliers {
                percentile.append(SizingScore.score("p\(label(quantile * 100)) × \(label(multiplier))", traces: traces,
                                                    cpuCores: levels.map { $0 * multiplier }, memoryBytes: krrMemory, idle: idle))
            }
        }
        // KRR's simple strategy is the family's p95 × 1.
        var krr = percentile[quantiles.firstIndex(of: 0.95)! * multipliers.count + multipliers.firstIndex(of: 1.0)!]
        krr.name = "krr simple (cpu p95, memory max × 1.15)"

        let vpaAdvice = try await advise(histories, advisor: advisor(.vpa, cpuRisk: nil), jobs: jobs)
        let vpa = score("vpa recommender (p90 × 1.15, memory peaks)", vpaAdvice, traces: traces, idle: idle)
        let baselines = percentile + [vpa]
        let overrun = SizingFrontier(baselines, risk: \.cpuOverrunPercent)
        let shortfall = SizingFrontier(baselines, risk: \.cpuShortfallPercent)

        var rows: [Row] = []
        for variant in variants {
            var sizer = advisor(variant.strategy, cpuRisk: variant.cpuRisk)
            if let memoryRisk { sizer.basePolicy.memoryRisk = memoryRisk }
            let advice = try await advise(histories, advisor: sizer, jobs: jobs)
            let result = score(variant.name, advice, traces: traces, idle: idle)
            rows.append(Row(score: result, strategy: variant.strategy.rawValue, cpuRisk: variant.strategy == .risk ? (variant.cpuRisk ?? SizingPolicy().cpuRisk) : nil,
                            savedAtOverrun: overrun.savedShare(cores: result.cores, at: result.cpuOverrunPercent),
                            savedAtShortfall: shortfall.savedShare(cores: result.cores, at: result.cpuShortfallPercent)))
        }
        return SizingEvaluation(headroom: rows, percentile: percentile, vpa: vpa, krr: krr, overrunFrontier: overrun, shortfallFrontier: shortfall,
                                idle: idle.sorted(), containers: traces.map(\.name))
    }

    static func advisor(_ strategy: ContainerAdvisor.Strategy, cpuRisk: Double?) -> ContainerAdvisor {
        var advisor = ContainerAdvisor(strategy: strategy, replaySteps: SizingTrace.evaluationSteps, includeHPA: false)
        if let cpuRisk { advisor.basePolicy.cpuRisk = cpuRisk }
        return advisor
    }

    /// Each history's advice, `jobs` at a time, in order; a history with no usage is an error.
    static func advise(_ histories: [ContainerHistory], advisor: ContainerAdvisor, jobs: Int) async throws -> [ContainerAdvice] {
        try zip(histories, try await advisor.advise(histories, jobs: jobs)).map { history, advice in
            guard let advice else { throw Failure(description: "\(history.container.workload.name): no usage to size from") }
            return advice
        }
    }

    static func score(_ name: String, _ advice: [ContainerAdvice], traces: [SizingTrace], idle: Set<String>) -> SizingScore {
        SizingScore.score(name, traces: traces,
                          cpuCores: advice.map { Double($0.recommended.requests.cpu?.millicores ?? 0) / 1000 },
                          memoryBytes: advice.map { Double(($0.recommended.limits.memory ?? $0.recommended.requests.memory)?.bytes ?? 0) }, idle: idle)
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func percent(_ share: Double) -> String { label((share * 1000).rounded() / 10) + "%" }
}

extension SizingEvaluation {
    /// One gate of `sizing evaluate --check`.
    public struct Check: Sendable, Codable {
        public var passed: Bool
        public var description: String
    }

    /// The gates: the first row (the default) is not dominated by the frontier at its own overrun
    /// nor at its own shortfall, has no OOM bucket and no container but an idle one above 10 %
    /// overrun; every other `risk` row realises 0.5–1.5× its target.
    public var checks: [Check] {
        guard let main = headroom.first else { return [Check(passed: false, description: "no Headroom row")] }
        func percent(_ share: Double?) -> String { share.map { String(format: "%+.1f %%", $0 * 100) } ?? "n/a" }
        var checks = [
            Check(passed: (main.savedAtOverrun ?? -1) >= 0,
                  description: "\(main.score.name): \(String(format: "%.2f", main.score.cores)) cores at \(String(format: "%.2f", main.score.cpuOverrunPercent)) % overrun, \(percent(main.savedAtOverrun)) against the frontier there"),
            Check(passed: (main.savedAtShortfall ?? -1) >= 0,
                  description: "\(main.score.name): at \(String(format: "%.3f", main.score.cpuShortfallPercent)) % shortfall, \(percent(main.savedAtShortfall)) against the frontier there"),
            Check(passed: main.score.oomBuckets == 0, description: "\(main.score.name): \(main.score.oomBuckets) OOM buckets (0 allowed)"),
            Check(passed: main.score.worstOverrunPercent <= 10,
                  description: "\(main.score.name): worst container \(main.score.worstContainer ?? "-") at \(String(format: "%.1f", main.score.worstOverrunPercent)) % overrun (idle ones aside; at most 10 %)"),
        ]
        for row in headroom.dropFirst() {
            guard let target = row.cpuRisk, row.strategy == ContainerAdvisor.Strategy.risk.rawValue else { continue }
            let ratio = row.score.cpuOverrunPercent / 100 / target
            checks.append(Check(passed: (0.5...1.5).contains(ratio),
                                description: "\(row.score.name): realised \(String(format: "%.2f", row.score.cpuOverrunPercent)) % overrun, \(String(format: "%.2f", ratio))× the target (0.5–1.5× allowed)"))
        }
        return checks
    }
}
