import Synchronization

/// Wakes the cycle loop early (`POST /v1/cycles`) or for good (shutdown). Requests that arrive
/// while a cycle runs fold into one: a cycle is never run twice at once, nor queued twice.
public final class CycleTrigger: Sendable {
    private struct Flags {
        var pending = false
        var stopped = false
    }
    private let flags = Mutex(Flags())
    /// How often a waiting loop looks at the flags.
    let pollInterval: Duration

    public init(pollInterval: Duration = .milliseconds(100)) {
        self.pollInterval = pollInterval
    }

    /// Asks for a cycle as soon as the current one (if any) is done. False once stopped.
    @discardableResult
    public func request() -> Bool {
        flags.withLock { flags in
            guard !flags.stopped else { return false }
            flags.pending = true
            return true
        }
    }

    /// Stops the loop: the cycle running finishes, no other starts.
    public func stop() {
        flags.withLock { $0.stopped = true }
    }

    public var isStopped: Bool { flags.withLock { $0.stopped } }

    /// Why a wait ended.
    enum Wake: Equatable {
        /// A cycle was asked for (`request()`).
        case requested
        /// The interval passed.
        case elapsed
        /// Stopped (or the task cancelled): the loop ends.
        case stopped
    }

    /// Waits until a cycle is requested, `interval` has passed or the loop is stopped (or the
    /// task cancelled).
    func wait(upTo interval: Duration) async -> Wake {
        let clock = ContinuousClock()
        let deadline = clock.now + interval
        while true {
            let state = flags.withLock { flags -> (pending: Bool, stopped: Bool) in
                defer { flags.pending = false }
                return (flags.pending, flags.stopped)
            }
            if state.stopped || Task.isCancelled { return .stopped }
            if state.pending { return .requested }
            if clock.now >= deadline { return .elapsed }
            try? await Task.sleep(for: min(pollInterval, deadline - clock.now))
        }
    }
}
