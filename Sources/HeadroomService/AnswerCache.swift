import Foundation
import Synchronization

/// Encoded answers of one published Assessment, by request: each distinct filtered answer is
/// encoded once per cycle and then served from memory with its ETag. Bounded: past
/// `capacity` distinct requests new ones are encoded every time rather than kept, so arbitrary
/// query strings cannot grow memory.
final class AnswerCache: Sendable {
    private let entries = Mutex<[String: (data: Data, etag: String)]>([:])
    let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The answer for `key`, encoded by `make` the first time.
    func answer(_ key: String, _ make: () throws -> Data) rethrows -> (data: Data, etag: String) {
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let data = try make()
        let entry = (data: data, etag: PublishedAssessment.etag(of: data))
        entries.withLock { cache in
            if cache.count < capacity { cache[key] = entry }
        }
        return entry
    }

    var count: Int { entries.withLock { $0.count } }
}
