import HeadroomCore
import Synchronization

/// Exponential backoff with full jitter: attempt n waits a uniform time in
/// [0, min(maxDelay, baseDelay × 2ⁿ)]. Randomness comes from a seeded generator so tests replay.
public final class RetryPolicy: Sendable {
    public let maxAttempts: Int
    public let baseDelay: Duration
    public let maxDelay: Duration
    private let random: Mutex<SplitMix64>

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5), seed: UInt64) {
        precondition(maxAttempts >= 1, "at least one attempt")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        random = Mutex(SplitMix64(seed: seed))
    }

    /// The wait before retry number `attempt` (1 for the first retry).
    public func delay(beforeRetry attempt: Int) -> Duration {
        let cap = min(maxDelay, baseDelay * (1 << min(attempt - 1, 20)))
        let fraction = random.withLock { $0.nextUnit() }
        return cap * fraction
    }

    /// Runs `operation`, retrying errors that `isTransient` accepts, and rethrows the last one.
    public func run<T>(isTransient: (any Error) -> Bool, _ operation: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch {
                if error is CancellationError || attempt >= maxAttempts || !isTransient(error) { throw error }
                try await Task.sleep(for: delay(beforeRetry: attempt))
                attempt += 1
            }
        }
    }
}
