import HeadroomEngine

/// What the service knows between cycles: the last good Assessment (kept and served when a later
/// cycle fails), when the last good cycle finished and the last failure.
public actor ServeState {
    public private(set) var published: PublishedAssessment?
    /// Unix seconds at which the last good cycle finished.
    public private(set) var lastGoodCycleAt: Int64?
    public private(set) var lastFailure: String?
    public private(set) var goodCycles = 0
    public private(set) var failedCycles = 0
    /// The last complete week's report, when the service builds it (`--weekly-report`).
    public private(set) var weeklyReport: PublishedReport?
    /// What this replica holds (`serve --replicas-shard`) and when its lease tick said so (ms).
    public private(set) var ownership: (held: ShardOwnership, atMillis: Int64)?

    /// Keeps a lease tick's outcome.
    public func keepOwnership(_ held: ShardOwnership, atMillis: Int64) {
        ownership = (held, atMillis)
    }

    /// The shards held, unless the last good tick is older than `leaseMillis` (the replica may
    /// have lost them without knowing: it must not work on them).
    public func currentOwnership(nowMillis: Int64, leaseMillis: Int64) -> ShardOwnership? {
        guard let ownership, nowMillis - ownership.atMillis < leaseMillis else { return nil }
        return ownership.held
    }

    public init() {}

    public func keepWeeklyReport(_ report: PublishedReport) {
        weeklyReport = report
    }

    /// Publishes a cycle's Assessment: every answer from now on renders it.
    @discardableResult
    public func publish(_ assessment: Assessment, at time: Int64) throws -> PublishedAssessment {
        let next = try PublishedAssessment(assessment, cycle: goodCycles + 1, publishedAt: time)
        goodCycles += 1
        published = next
        lastGoodCycleAt = time
        lastFailure = nil
        return next
    }

    /// What `/metrics` serves, read at once: the published Assessment and when its cycle finished.
    public var scrape: (published: PublishedAssessment?, lastGoodCycleAt: Int64?) { (published, lastGoodCycleAt) }

    /// Records a failed cycle; the last good Assessment stays published.
    public func recordFailure(_ reason: String) {
        failedCycles += 1
        lastFailure = reason
    }

    /// Ready after the first good cycle, until the last good one is older than `staleness`.
    public func readiness(now: Int64, staleness: Int64) -> Readiness {
        guard let last = lastGoodCycleAt else { return .notYet(lastFailure: lastFailure) }
        let age = now - last
        return age > staleness ? .stale(ageSeconds: age, lastFailure: lastFailure) : .ready(ageSeconds: age)
    }
}

/// The answer of `/readyz`.
public enum Readiness: Sendable, Equatable {
    case ready(ageSeconds: Int64)
    case notYet(lastFailure: String?)
    case stale(ageSeconds: Int64, lastFailure: String?)

    public var isReady: Bool {
        if case .ready = self { return true }
        return false
    }

    /// One line for the probe's body and the logs.
    public var description: String {
        switch self {
        case .ready(let age): return "ready: last good cycle \(age) s ago"
        case .notYet(let failure): return "not ready: no good cycle yet" + (failure.map { " (last failure: \($0))" } ?? "")
        case .stale(let age, let failure):
            return "not ready: last good cycle \(age) s ago, older than the staleness limit" + (failure.map { " (last failure: \($0))" } ?? "")
        }
    }
}
