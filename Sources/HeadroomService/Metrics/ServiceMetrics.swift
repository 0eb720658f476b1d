import Prometheus

/// The service's own metrics (swift-prometheus): how long cycles take and how they end, where
/// they fail, what collection cost Prometheus, and when the last good cycle finished. A few
/// long-lived series, registered once; `/metrics` serves them before the Assessment's series.
public final class ServiceMetrics: Sendable {
    /// The stage of a cycle an error came from.
    public enum Stage: String, Sendable, CaseIterable {
        case collect, assess, publish
    }

    private let registry = PrometheusCollectorRegistry()
    private let cycleSeconds: DurationHistogram
    private let goodCycles: Counter
    private let failedCycles: Counter
    private let errors: [Stage: Counter]
    private let lastSuccess: Gauge
    private let queries: Counter
    private let samples: Counter
    private let bytes: Counter
    private let vpaWrites: [String: Counter]
    private let alertsFiring: Gauge
    private let alertsQueue: Gauge
    private let alertsSent: Counter
    private let alertsFailed: Counter
    private let alertsDropped: Counter

    public init() {
        cycleSeconds = registry.makeDurationHistogram(
            descriptor: .init(metricName: "headroom_cycle_duration", unitName: "seconds", helpText: "Duration of service cycles (collect, assess, publish)."),
            labels: [], buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600].map { Duration.milliseconds(Int64($0 * 1000)) })
        let cycles = MetricNameDescriptor(metricName: "headroom_cycles", unitName: "total", helpText: "Service cycles by outcome.")
        goodCycles = registry.makeCounter(descriptor: cycles, labels: [("outcome", "ok")])
        failedCycles = registry.makeCounter(descriptor: cycles, labels: [("outcome", "failed")])
        let stageErrors = MetricNameDescriptor(metricName: "headroom_cycle_errors", unitName: "total", helpText: "Failed cycles, and collections between cycles, by the stage that failed.")
        var errors: [Stage: Counter] = [:]
        for stage in Stage.allCases { errors[stage] = registry.makeCounter(descriptor: stageErrors, labels: [("stage", stage.rawValue)]) }
        self.errors = errors
        lastSuccess = registry.makeGauge(descriptor: .init(metricName: "headroom_last_success_timestamp", unitName: "seconds",
                                                           helpText: "Unix time the last good cycle finished (0: none yet)."), labels: [])
        queries = registry.makeCounter(descriptor: .init(metricName: "headroom_prometheus_queries", unitName: "total",
                                                         helpText: "Queries sent to Prometheus by collection."), labels: [])
        samples = registry.makeCounter(descriptor: .init(metricName: "headroom_collected_samples", unitName: "total",
                                                         helpText: "Samples (points) Prometheus returned to collection."), labels: [])
        bytes = registry.makeCounter(descriptor: .init(metricName: "headroom_collected_bytes", unitName: "total",
                                                       helpText: "Bytes of Prometheus answers read by collection."), labels: [])
        let writes = MetricNameDescriptor(metricName: "headroom_vpa_status_writes", unitName: "total",
                                          helpText: "VPA status writes by outcome (written, forbidden, conflict, invalid, failed, malformed_policy).")
        var vpaWrites: [String: Counter] = [:]
        for outcome in VPAStatusWriter.Outcome.allCases {
            vpaWrites[outcome.rawValue] = registry.makeCounter(descriptor: writes, labels: [("outcome", outcome.rawValue)])
        }
        self.vpaWrites = vpaWrites
        alertsFiring = registry.makeGauge(descriptor: .init(metricName: "headroom_alerts_firing", helpText: "Alerts firing after the last evaluation."), labels: [])
        alertsQueue = registry.makeGauge(descriptor: .init(metricName: "headroom_alerts_queue_length", helpText: "Alert notices waiting in the outbox (held for business hours or the digest, or being retried)."), labels: [])
        alertsSent = registry.makeCounter(descriptor: .init(metricName: "headroom_alerts_sent", unitName: "total", helpText: "Alert notices delivered (2xx from the sink)."), labels: [])
        alertsFailed = registry.makeCounter(descriptor: .init(metricName: "headroom_alerts_failed", unitName: "total", helpText: "Failed alert deliveries and evaluations (retried later)."), labels: [])
        alertsDropped = registry.makeCounter(descriptor: .init(metricName: "headroom_alerts_dropped", unitName: "total", helpText: "Alert notices dropped because the outbox was full (infos first)."), labels: [])
    }

    /// One alert evaluation and delivery pass; nil leaves a gauge as it was.
    public func recordAlerts(firing: Int?, sent: Int, failed: Int, queueLength: Int?, dropped: Int) {
        if let firing { alertsFiring.set(Double(firing)) }
        if let queueLength { alertsQueue.set(Double(queueLength)) }
        alertsSent.increment(by: Int64(max(0, sent)))
        alertsFailed.increment(by: Int64(max(0, failed)))
        alertsDropped.increment(by: Int64(max(0, dropped)))
    }

    /// One VPA status write and how it ended.
    public func recordVPAWrite(_ outcome: VPAStatusWriter.Outcome) {
        vpaWrites[outcome.rawValue]?.increment()
    }

    /// A good cycle that took `duration` and finished at unix time `finishedAt`.
    public func recordSuccess(duration: Duration, finishedAt: Int64) {
        cycleSeconds.record(duration)
        goodCycles.increment()
        lastSuccess.set(Double(finishedAt))
    }

    /// A cycle that failed in `stage` after `duration`.
    public func recordFailure(duration: Duration, stage: Stage) {
        cycleSeconds.record(duration)
        failedCycles.increment()
        errors[stage]?.increment()
    }

    /// A collection between cycles that failed: counted under stage="collect", not as a cycle.
    public func recordCollectionFailure() {
        errors[.collect]?.increment()
    }

    /// What one collection cost Prometheus.
    public func recordCollection(queries: Int, samples: Int, bytes: Int) {
        self.queries.increment(by: Int64(max(0, queries)))
        self.samples.increment(by: Int64(max(0, samples)))
        self.bytes.increment(by: Int64(max(0, bytes)))
    }

    /// Text exposition of these series.
    public func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

/// An error from one stage of a cycle, so the log line and `headroom_cycle_errors_total` say
/// where the cycle failed. Its description is the underlying error's.
public struct CycleStageError: Error, CustomStringConvertible {
    public var stage: ServiceMetrics.Stage
    public var underlying: any Error

    public init(_ stage: ServiceMetrics.Stage, _ underlying: any Error) {
        self.stage = stage
        self.underlying = underlying
    }

    public var description: String { "\(underlying)" }

    /// Runs `body`, tagging what it throws with `stage`.
    public static func during<T>(_ stage: ServiceMetrics.Stage, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as CycleStageError { throw error } catch { throw CycleStageError(stage, error) }
    }
}
