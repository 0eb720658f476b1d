import HeadroomCore
import HeadroomForecast

/// Turns one container's history into its advice: requests and limits by the chosen strategy
/// (with per-workload overrides), the HPA replay where there is or should be an HPA, and the
/// risk of both configurations replayed over the last window. A pure function of its inputs,
/// so containers are advised in parallel.
public struct ContainerAdvisor: Sendable {
    public enum Strategy: String, Sendable, Codable, CaseIterable {
        /// The level usage exceeds in a stated share of the coming horizon (RiskSizer): the default.
        case risk
        /// Forecast quantiles of the coming week (RightSizer).
        case forecast
        /// The upstream VPA recommender's target from the same history.
        case vpa
    }

    public var strategy: Strategy
    /// Steps of the replay window at the end of the series.
    public var replaySteps: Int
    public var overrides: SizingOverrides
    public var hpaSearch = HPATargetSearch()
    /// Replay HPAs (the slow part); off when only requests are wanted.
    public var includeHPA = true
    /// The policy before overrides (the command line's risk targets, for instance).
    public var basePolicy = SizingPolicy()
    /// The largest node a container could run on, from its declared state (nil: no bound).
    public var largestNode: @Sendable (InventoryRecord?) -> SizingPolicy.LargestNode? = { _ in nil }

    public init(strategy: Strategy, replaySteps: Int, overrides: SizingOverrides = SizingOverrides(), includeHPA: Bool = true) {
        self.strategy = strategy
        self.replaySteps = replaySteps
        self.overrides = overrides
        self.includeHPA = includeHPA
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The advice, or nil when the window holds no CPU or memory usage to size from.
    public func advise(_ history: ContainerHistory) throws(Failure) -> ContainerAdvice? {
        let container = history.container
        guard let cpu = GapFilling.linear(history.cpuMean), let memory = GapFilling.linear(history.memoryMax) else { return nil }
        let current = history.current
        var policy: SizingPolicy
        do { policy = try overrides.policy(for: container, annotations: current?.annotations ?? [:], base: basePolicy) } catch {
            throw Failure(description: "\(container): annotation \(error)")
        }
        policy.largestNode = largestNode(current)
        let input = SizingInput(container: container, cpu: cpu, memoryPeaks: memory, current: current, oomKillBytes: history.oomBytes,
                                recentActivity: CPUActivity(means: Array(history.cpuMean.values.suffix(2016))))
        var recommendation = strategy == .forecast ? RightSizer.recommend(input, policy: policy) : RiskSizer.recommend(input, policy: policy)
        var bounds: VPABounds?
        if strategy == .vpa {
            let result = VPARecommender.recommend(
                times: history.cpuMean.values.indices.map { history.cpuMean.time(at: $0) }, cpuMillicores: history.cpuMean.values,
                memoryPeaks: history.memoryMax.values, oomTimes: history.oomTimes, memoryRequest: current?.requests.memory?.bytes)
            var requests = result.target
            if let hpa = current?.hpa, hpa.targetCPUUtilizationPercent != nil, let cpuRequest = current?.requests.cpu { requests.cpu = cpuRequest }
            recommendation.requests = requests
            recommendation.limits = ResourceAmounts(cpu: nil, memory: requests.memory)
            recommendation.cpuModel = "vpa-histogram"
            recommendation.memoryModel = "vpa-peaks"
            bounds = VPABounds(lower: result.lowerBound, upper: result.upperBound)
            recommendation.notes.append("VPA bounds: CPU \(result.lowerBound.cpu!)–\(result.upperBound.cpu!), memory \(result.lowerBound.memory!.roundedUp(toMultipleOf: .mebibyte))–\(result.upperBound.memory!.roundedUp(toMultipleOf: .mebibyte))")
        }
        if current?.hpa?.targetMemoryUtilizationPercent != nil, let memoryRequest = current?.requests.memory {
            recommendation.requests.memory = max(memoryRequest, recommendation.requests.memory ?? memoryRequest)
            recommendation.limits.memory = max(recommendation.limits.memory ?? memoryRequest, recommendation.requests.memory!)
            recommendation.notes.append("HPA scales on memory: memory request kept at \(memoryRequest) or raised, never lowered under the HPA")
        }

        let replicas = current?.replicas ?? 1
        // An existing HPA keeps the current request (RightSizer leaves it); a new one is searched
        // with the recommended request, so requests and target are sized together.
        let hpaRequest = current?.hpa?.targetCPUUtilizationPercent != nil ? current?.requests.cpu : recommendation.requests.cpu
        let hpa = includeHPA ? hpaRequest.flatMap { hpaAdvice(history, cpu: cpu, replicas: replicas, request: $0) } : nil
        if let hpa { recommendation.notes.append(hpa.note) }

        func tail(_ series: RegularSeries) -> [Double?] { Array(series.values.suffix(replaySteps)) }
        func sized(_ requests: ResourceAmounts, _ limits: ResourceAmounts) -> SizedConfiguration {
            SizedConfiguration(requests: requests, limits: limits, risk: RiskReplay.replay(
                cpuMean: tail(history.cpuMean), cpuMax: tail(history.cpuMax), memoryMean: tail(history.memoryMean),
                memoryMax: tail(history.memoryMax), requests: requests, limits: limits))
        }
        return ContainerAdvice(
            container: container, replicas: replicas,
            current: sized(current?.requests ?? .none, current?.limits ?? .none),
            recommended: sized(recommendation.requests, recommendation.limits),
            vpaBounds: bounds, hpa: hpa?.advice, models: [recommendation.cpuModel, recommendation.memoryModel],
            evidence: recommendation.evidence, confidence: AdviceConfidence(series: history.cpuMean),
            replayedBuckets: tail(history.cpuMax).lazy.filter { $0 != nil }.count, notes: recommendation.notes)
    }

    /// Each history's advice (nil where `advise` has none), on `jobs` workers, in order.
    public func advise(_ histories: [ContainerHistory], jobs: Int) async throws -> [ContainerAdvice?] {
        try await parallelMap(histories, jobs: jobs) { try advise($0) }
    }

    /// The HPA replay for single-container workloads: demand = per-pod CPU × replicas per step.
    private func hpaAdvice(_ history: ContainerHistory, cpu: [Double], replicas: Int, request: CPUQuantity) -> (advice: HPAAdvice, note: String)? {
        guard history.soleContainer, request.millicores > 0 else { return nil }
        let demand = zip(cpu, history.replicas).map { usage, count in usage * Double(count ?? replicas) }
        guard let advice = HPAAdvisor.advise(demand: demand, replaySteps: replaySteps, end: history.cpuMean.start + Int64(cpu.count) * 300,
                                             requestMillicores: Double(request.millicores), kind: history.container.workload.kind,
                                             replicas: replicas, current: history.current?.hpa, search: hpaSearch)
        else { return nil }
        let target = Int((advice.recommended.targetUtilization * 100).rounded())
        var note = "HPA: target \(target) %, \(advice.recommended.minReplicas)–\(advice.recommended.maxReplicas) replicas"
        note += advice.meetsRequirement ? "" : " (no target kept pods under 90 % for 99 % of the replay; least saturated shown)"
        note += " at \(request) CPU per pod (\(advice.reason))"
        return (advice, note)
    }
}
