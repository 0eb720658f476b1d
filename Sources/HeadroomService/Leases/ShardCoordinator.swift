import Foundation
import Logging
import ServiceLifecycle

/// The lease side of `serve --replicas-shard`: ticks `ShardLeases` every `interval` (well
/// within the lease duration) and keeps what this replica holds in `ServeState`, where the
/// cycle reads which shards to assess and whether it does the singleton duties. On shutdown it
/// gives its Leases back, so the other replicas take its shards at their next tick.
public struct ShardCoordinator: Service {
    let leases: ShardLeases
    let state: ServeState
    let interval: Duration
    let logger: Logger
    let nowMillis: @Sendable () -> Int64

    public init(leases: ShardLeases, state: ServeState, interval: Duration, logger: Logger,
                nowMillis: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.leases = leases
        self.state = state
        self.interval = interval
        self.logger = logger
        self.nowMillis = nowMillis
    }

    /// One tick; a failure is logged and leaves the last ownership to go stale.
    @discardableResult
    public func tick() async -> ShardOwnership? {
        let now = nowMillis()
        do {
            let held = try await leases.tick(nowMillis: now)
            await state.keepOwnership(held, atMillis: now)
            logger.debug("leases", metadata: ["shards": "\(held.shards.sorted())", "leader": "\(held.isLeader)", "members": "\(held.members)"])
            return held
        } catch {
            logger.error("leases", metadata: ["outcome": "failed", "error": "\(error)"])
            return nil
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                try? await Task.sleep(for: interval)
            }
        }
        do { try await leases.releaseAll(nowMillis: nowMillis()) } catch {
            logger.error("leases", metadata: ["outcome": "release failed", "error": "\(error)"])
        }
    }
}
