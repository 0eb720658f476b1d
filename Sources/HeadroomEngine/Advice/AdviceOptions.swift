import HeadroomCore
import HeadroomRecommend

/// What `advise` is asked: the strategy, the windows, the scope, the user's overrides and prices,
/// and how node pools are planned.
public struct AdviceOptions: Sendable {
    public var strategy: ContainerAdvisor.Strategy = .risk
    /// The sizing policy before overrides: risk targets and margins from the command line.
    public var basePolicy = SizingPolicy()
    /// History to forecast from, back from the end of the stored usage.
    public var historySeconds: Int64 = 14 * 86_400
    /// Window the risk and the HPA are replayed over.
    public var replaySeconds: Int64 = 7 * 86_400
    /// Only these namespaces (all when empty).
    public var namespaces: [String] = []
    /// Only the workloads of these shards (a replica of `serve --replicas-shard`); nil: all.
    public var shard: ShardSelection?
    public var overrides = SizingOverrides()
    /// Extra per-node requests of DaemonSets not in the inventory.
    public var daemonSetOverhead: ResourceAmounts = .none
    /// Share of each node kept free after the DaemonSets, in [0, 1).
    public var reserve: Double = 0
    /// Replay HPAs (the slow part); off when only requests are wanted.
    public var includeHPA = true
    /// Plan node pools for the current and recommended requests.
    public var planPools = true
    /// Containers advised in parallel.
    public var jobs = 1
    /// Keep each container's advice in the store between cycles (the service); nil computes
    /// every container's advice (the CLI).
    public var reuse: AdviceReuse?

    public init() {}
}
