import Foundation
import HeadroomCore
import HeadroomHistory
import HeadroomRecommend
import Synchronization

/// Keeping each container's advice between the service's cycles, in the store: a container is
/// forecast, sized and replayed again only when
/// - usage that arrived since breaks its advice (a 5-minute CPU mean above the recommended CPU
///   request, or a memory maximum above the recommended memory request),
/// - its inputs besides usage changed (requests, limits, replicas, HPA, annotations, node pool,
///   OOM kills, or the advice options), or
/// - the usage window has moved on past the container's age limit since it was computed: between
///   half of `maxAgeSeconds` and all of it, spread by a hash of the container, so advice
///   computed in one cycle is not all due again in one later cycle.
/// Usage that stays inside the advice leaves it as it is, so a cycle after 5 minutes of new
/// data recomputes only what that data contradicts. The CLI's commands never reuse: each
/// computes all advice from the store.
///
/// The advice is also kept decoded in memory (`Kept`): a stored record whose window end and
/// fingerprint match the kept one is taken from memory, not read and decoded again, which took
/// 9 % of a steady cycle's CPU at 10,000 containers. The store stays the record: a restarted
/// service decodes everything once.
public struct AdviceReuse: Sendable {
    public var maxAgeSeconds: Int64
    /// How the last advise went: containers reused and computed.
    public let counts: Counts
    /// The advice of the last `advise`, decoded.
    let kept: Kept

    public init(maxAgeSeconds: Int64) {
        self.maxAgeSeconds = maxAgeSeconds
        counts = Counts()
        kept = Kept()
    }

    /// Containers whose advice the last `advise` reused, those it computed, and how many current
    /// stored records it decoded because memory did not hold them.
    public final class Counts: Sendable {
        private let state = Mutex((reused: 0, computed: 0, decoded: 0))
        public var reused: Int { state.withLock { $0.reused } }
        public var computed: Int { state.withLock { $0.computed } }
        public var decoded: Int { state.withLock { $0.decoded } }
        func set(reused: Int, computed: Int, decoded: Int) { state.withLock { $0 = (reused, computed, decoded) } }
    }

    /// Each container's advice as the last `advise` stored it, decoded, with what it was
    /// computed from (the stored record's window end and fingerprint).
    final class Kept: Sendable {
        struct Entry: Sendable {
            var dataEnd: Int64
            var fingerprint: String
            var advice: ContainerAdvice
        }

        private let entries = Mutex<[ContainerID: Entry]>([:])

        /// The kept advice of `container` if it is the one `record` stores.
        func advice(matching record: CachedAdviceRecord) -> ContainerAdvice? {
            entries.withLock { entries in
                entries[record.container].flatMap { $0.dataEnd == record.dataEnd && $0.fingerprint == record.fingerprint ? $0.advice : nil }
            }
        }

        /// Keeps exactly `entries`, once the store holds the same.
        func replace(with entries: [ContainerID: Entry]) { self.entries.withLock { $0 = entries } }
    }

    /// A digest of a container's advice inputs besides usage, stable across processes: its
    /// declared state, OOM kills, the options and the largest node bounding its requests.
    /// `optionsText` is `optionsText(options)`, the same for every container of a run: computed
    /// once, since describing the overrides and the policy took 7 % of a steady cycle's CPU at
    /// 10,000 containers when each container described them again.
    static func fingerprint(_ inventory: InventoryRecord?, ooms: [ContainerEvent], soleContainer: Bool, optionsText: String,
                            largestNode: SizingPolicy.LargestNode? = nil) -> String {
        var record = inventory
        record?.observedAt = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        text += "|\(ooms.map { "\($0.time):\($0.memoryBytes.map(String.init) ?? "-")" }.sorted().joined(separator: ","))"
        text += "|\(soleContainer)" + optionsText
        text += "|\(largestNode.map { "\($0.allocatable.cpu.map(String.init(describing:)) ?? "-")/\($0.allocatable.memory.map(String.init(describing:)) ?? "-")" } ?? "-")"
        return String(FNV1a.hash(text), radix: 16)
    }

    /// The options' part of every fingerprint (see `fingerprint`).
    static func optionsText(_ options: AdviceOptions) -> String {
        "|\(options.strategy.rawValue)|\(options.historySeconds)|\(options.replaySeconds)|\(options.includeHPA)"
            + "|\(String(describing: options.overrides))|\(String(describing: options.basePolicy))"
    }

    /// The container's age limit: `maxAgeSeconds` less up to half of it, by a stable hash.
    func ageLimit(_ container: ContainerID) -> Int64 {
        let hash = FNV1a.hash(container.description)
        return maxAgeSeconds - Int64(Double(maxAgeSeconds / 2) * Double(hash % 1_000) / 1_000)
    }

    /// Whether usage since the advice stays inside it.
    static func holds(_ advice: ContainerAdvice, cpuMean: Double?, memoryMax: Double?) -> Bool {
        let requests = advice.recommended.requests
        if let cpuMean, cpuMean > Double(requests.cpu?.millicores ?? 0) { return false }
        if let memoryMax, memoryMax > Double(requests.memory?.bytes ?? 0) { return false }
        return true
    }
}
