import Synchronization

/// Keeps requests under a rate (`--max-query-rate`): each request reserves the next free start
/// time, at least `1 / perSecond` after the previous one, and waits for it. Shared by concurrent
/// requests, so the rate holds whatever the concurrency.
final class QueryPacer: Sendable {
    let interval: Duration
    private let next = Mutex<ContinuousClock.Instant?>(nil)

    init(perSecond: Double) {
        interval = .nanoseconds(Int64((1e9 / perSecond).rounded(.up)))
    }

    /// The time the caller may send at, given the time now; reserves it.
    func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        next.withLock { next in
            let slot = max(now, next ?? now)
            next = slot + interval
            return slot
        }
    }
}
