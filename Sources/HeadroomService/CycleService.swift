import HeadroomCollect
import HeadroomCore
import HeadroomEngine
import Logging
import ServiceLifecycle

/// The service's refresh loop: a cycle at start, then every `interval` or when triggered,
/// publishing each good cycle's Assessment into `state`; every `collectInterval` in between, a
/// collection alone. One cycle or collection at a time. A failed cycle is logged and recorded;
/// the last good Assessment stays published. On graceful shutdown the step running finishes and
/// no other starts.
public struct CycleService: Service {
    /// One cycle: whatever it gathers, it ends in an Assessment.
    public typealias Cycle = @Sendable () async throws -> Assessment
    /// The collection step before it; nil when the store was already up to date.
    public typealias Collect = @Sendable () async throws -> CollectionSummary?

    let state: ServeState
    let trigger: CycleTrigger
    let interval: Duration
    /// Time between collections in between cycles; nil: collect only at the start of a cycle.
    let collectInterval: Duration?
    let cycle: Cycle
    let collect: Collect?
    /// Runs after each publish (VPA status write-back); its failures are its own to log.
    let afterPublish: (@Sendable (Assessment) async -> Void)?
    /// Unix seconds now (passed in, so tests can set it).
    let now: @Sendable () -> Int64
    /// More figures for a good cycle's log line (advice reused and computed).
    let figures: (@Sendable () -> Logger.Metadata)?
    let logger: Logger
    let metrics: ServiceMetrics

    /// Each cycle runs `collect` (when given), then `cycle`, then publishes; an error counts
    /// against the stage it came from (`CycleStageError.during` can tag one inside `cycle`).
    public init(state: ServeState, trigger: CycleTrigger, interval: Duration, collectInterval: Duration? = nil, logger: Logger,
                metrics: ServiceMetrics = ServiceMetrics(),
                now: @escaping @Sendable () -> Int64, collect: Collect? = nil, afterPublish: (@Sendable (Assessment) async -> Void)? = nil,
                figures: (@Sendable () -> Logger.Metadata)? = nil, cycle: @escaping Cycle) {
        self.figures = figures
        self.afterPublish = afterPublish
        self.metrics = metrics
        self.collect = collect
        self.state = state
        self.trigger = trigger
        self.interval = interval
        self.collectInterval = collectInterval
        self.cycle = cycle
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        let trigger = self.trigger
        let clock = ContinuousClock()
        await withGracefulShutdownHandler {
            var cycleStarted = clock.now
            await runOnce()
            while true {
                let untilCycle = max(.zero, interval - (clock.now - cycleStarted))
                let collecting = collect != nil && collectInterval.map { $0 < untilCycle } == true
                switch await trigger.wait(upTo: collecting ? collectInterval! : untilCycle) {
                case .stopped:
                    return
                case .elapsed where collecting:
                    await collectOnce()
                case .elapsed, .requested:
                    cycleStarted = clock.now
                    await runOnce()
                }
            }
        } onGracefulShutdown: {
            trigger.stop()
        }
    }

    /// Runs a collection alone (between cycles) and logs it; a failure counts under
    /// stage="collect" and leaves the published Assessment as it is. True when it succeeded.
    @discardableResult
    public func collectOnce() async -> Bool {
        guard let collect else { return false }
        let started = ContinuousClock.now
        do {
            let collected = try await collect()
            if let collected { metrics.recordCollection(queries: collected.queries, samples: collected.samples, bytes: collected.bytesReceived) }
            logger.info("collect", metadata: [
                "outcome": "ok", "seconds": "\((ContinuousClock.now - started).secondsValue)", "collected_buckets": "\(collected?.usageBuckets ?? 0)",
                "collect_queries": "\(collected?.queries ?? 0)", "collect_samples": "\(collected?.samples ?? 0)",
            ])
            return true
        } catch {
            metrics.recordCollectionFailure()
            logger.error("collect", metadata: ["outcome": "failed", "stage": "collect", "error": "\(error)"])
            return false
        }
    }

    /// Runs one cycle and records it; true when it published an Assessment.
    @discardableResult
    public func runOnce() async -> Bool {
        let started = ContinuousClock.now
        do {
            var collected: CollectionSummary?
            if let collect {
                collected = try await CycleStageError.during(.collect) { try await collect() }
                if let collected { metrics.recordCollection(queries: collected.queries, samples: collected.samples, bytes: collected.bytesReceived) }
            }
            let assessment = try await CycleStageError.during(.assess) { try await cycle() }
            let published = try await CycleStageError.during(.publish) { try await state.publish(assessment, at: now()) }
            let duration = ContinuousClock.now - started
            metrics.recordSuccess(duration: duration, finishedAt: now())
            var figures: Logger.Metadata = [
                "outcome": "ok", "cycle": "\(published.cycle)", "seconds": "\(duration.secondsValue)",
                "containers": "\(assessment.totals.containers)", "budgets_violated": "\(assessment.totals.budgetsViolated)",
                "etag": "\(published.etag)",
            ]
            if collect != nil {
                figures["collected_buckets"] = "\(collected?.usageBuckets ?? 0)"
                figures["collect_queries"] = "\(collected?.queries ?? 0)"
                figures["collect_samples"] = "\(collected?.samples ?? 0)"
                figures["collect_seconds"] = "\(collected?.seconds ?? 0)"
            }
            if let more = self.figures?() { figures.merge(more) { $1 } }
            logger.info("cycle", metadata: figures)
            await afterPublish?(assessment)
            return true
        } catch {
            let reason = "\(error)"
            let stage = (error as? CycleStageError)?.stage ?? .assess
            metrics.recordFailure(duration: ContinuousClock.now - started, stage: stage)
            await state.recordFailure(reason)
            logger.error("cycle", metadata: ["outcome": "failed", "stage": "\(stage.rawValue)", "error": "\(reason)"])
            return false
        }
    }
}
