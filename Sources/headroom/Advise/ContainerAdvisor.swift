import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomForecast
import HeadroomRecommend

/// Turns one container's history into its advice row: requests and limits by the chosen
/// strategy (with per-workload overrides), the HPA replay where there is or should be an HPA,
/// the risk of both configurations replayed over the last window, and their monthly cost.
/// A pure function of its inputs, so containers are advised in parallel.
struct ContainerAdvisor: Sendable {
    enum Strategy: String, Sendable { case forecast, vpa }

    var strategy: Strategy
    /// Steps of the replay window at the end of the series.
    var replaySteps: Int
    var overrides: SizingOverrides
    /// Default per-resource prices, for containers whose pool has no priced nodes.
    var prices = ResourcePrices.fallback
    /// The rates allocation charges in each node pool (its nodes' CPU and RAM parts per
    /// allocatable core and GiB), so advice and cost reports price a request alike.
    var poolPrices: [String: ResourcePrices] = [:]
    var hpaSearch = HPATargetSearch()
    /// Replay HPAs (the slow part); off when only requests are wanted.
    var includeHPA = true

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func advise(_ history: ContainerHistory) throws(Failure) -> AdviceRow? {
        let container = history.container
        guard let cpu = GapFilling.linear(history.cpuMean), let memory = GapFilling.linear(history.memoryMax) else { return nil }
        let current = history.current
        let policy: SizingPolicy
        do { policy = try overrides.policy(for: container, annotations: current?.annotations ?? [:]) } catch {
            throw Failure(description: "\(container): annotation \(error)")
        }
        var recommendation = RightSizer.recommend(SizingInput(container: container, cpu: cpu, memoryPeaks: memory, current: current,
                                                              oomKillBytes: history.oomBytes), policy: policy)
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
        func risk(_ requests: ResourceAmounts, _ limits: ResourceAmounts) -> ReplayedRisk {
            RiskReplay.replay(cpuMean: tail(history.cpuMean), cpuMax: tail(history.cpuMax), memoryMean: tail(history.memoryMean),
                              memoryMax: tail(history.memoryMax), requests: requests, limits: limits)
        }
        let currentRequests = current?.requests ?? .none
        let prices = current?.nodePool.flatMap { poolPrices[$0] } ?? self.prices
        // Cost at the replayed mean replica count when an HPA decides it, else at the declared count.
        let currentCost = hpa?.advice.currentOutcome.map { prices.monthlyMicrodollars(currentRequests, meanReplicas: $0.meanReplicas) }
            ?? prices.monthlyMicrodollars(currentRequests, replicas: replicas)
        let recommendedCost = hpa.map { prices.monthlyMicrodollars(recommendation.requests, meanReplicas: $0.advice.recommendedOutcome.meanReplicas) }
            ?? prices.monthlyMicrodollars(recommendation.requests, replicas: replicas)
        return AdviceRow(
            container: container, replicas: replicas,
            current: .init(requests: currentRequests, limits: current?.limits ?? .none, risk: risk(currentRequests, current?.limits ?? .none),
                           monthlyMicrodollars: currentCost),
            recommended: .init(requests: recommendation.requests, limits: recommendation.limits,
                               risk: risk(recommendation.requests, recommendation.limits), monthlyMicrodollars: recommendedCost),
            vpaBounds: bounds, hpa: hpa?.advice, models: [recommendation.cpuModel, recommendation.memoryModel], notes: recommendation.notes)
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
