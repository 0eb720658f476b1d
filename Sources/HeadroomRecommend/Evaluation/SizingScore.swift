import HeadroomCore

/// How one way of sizing fared on the evaluation windows, pooled over every container.
public struct SizingScore: Sendable, Codable, Hashable {
    public var name: String
    /// Σ CPU requests, cores.
    public var cores: Double
    /// Σ memory limits, GiB.
    public var memoryGiB: Double
    /// % of evaluation buckets (all containers) whose CPU is above the request.
    public var cpuOverrunPercent: Double
    /// Σ max(0, usage − request) ÷ Σ usage, %.
    public var cpuShortfallPercent: Double
    /// The highest single-container overrun, %, idle containers left out, and whose it is.
    public var worstOverrunPercent: Double
    public var worstContainer: String?
    /// Evaluation buckets whose memory is above the memory limit: each one an OOM kill.
    public var oomBuckets: Int
    /// Σ over containers of the mean unused request in the evaluation window.
    public var cpuSlackCores: Double
    public var memorySlackGiB: Double

    /// Scores `cpuCores` requests and `memoryBytes` limits (one per trace, in order); containers
    /// named in `idle` do not count for the worst overrun.
    public static func score(_ name: String, traces: [SizingTrace], cpuCores: [Double], memoryBytes: [Double], idle: Set<String>) -> SizingScore {
        precondition(traces.count == cpuCores.count && traces.count == memoryBytes.count)
        var over = 0, buckets = 0, ooms = 0
        var short = 0.0, used = 0.0, cpuSlack = 0.0, memorySlack = 0.0
        var worst = 0.0
        var worstName: String?
        for (index, trace) in traces.enumerated() {
            let request = cpuCores[index], limit = memoryBytes[index]
            let exceeded = trace.evaluationCPU.lazy.filter { $0 > request }.count
            over += exceeded
            buckets += trace.evaluationCPU.count
            for usage in trace.evaluationCPU {
                short += max(0, usage - request)
                used += usage
            }
            ooms += trace.evaluationMemory.lazy.filter { $0 > limit }.count
            let count = Double(max(1, trace.evaluationCPU.count))
            cpuSlack += trace.evaluationCPU.reduce(0) { $0 + (request - $1) } / count
            memorySlack += trace.evaluationMemory.reduce(0) { $0 + (limit - $1) } / Double(max(1, trace.evaluationMemory.count)) / 1_073_741_824
            let share = 100 * Double(exceeded) / count
            if !idle.contains(trace.name), share > worst || worstName == nil {
                worst = share
                worstName = trace.name
            }
        }
        return SizingScore(name: name, cores: cpuCores.reduce(0, +), memoryGiB: memoryBytes.reduce(0, +) / 1_073_741_824,
                           cpuOverrunPercent: buckets > 0 ? 100 * Double(over) / Double(buckets) : 0,
                           cpuShortfallPercent: used > 0 ? 100 * short / used : 0, worstOverrunPercent: worst, worstContainer: worstName,
                           oomBuckets: ooms, cpuSlackCores: cpuSlack, memorySlackGiB: memorySlack)
    }
}
