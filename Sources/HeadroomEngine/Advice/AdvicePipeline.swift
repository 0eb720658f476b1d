import HeadroomCore
import HeadroomHistory
import HeadroomRecommend

/// Advises many containers: loads their history in batches of 64 (bounding memory: two batches
/// at a time) and advises each batch on `jobs` cores while the next one is read; containers with
/// advice in `reused` are neither loaded nor advised. Rows come back in the containers' order.
enum AdvicePipeline {
    struct Input {
        var containers: [ContainerID]
        var inventory: [ContainerID: InventoryRecord]
        var ooms: [ContainerEvent]
        var start: Int64
        var end: Int64
        var advisor: ContainerAdvisor
        var jobs: Int
        /// Hears of every history read, for the rest of the assessment.
        var sharing: SharedUsageReads?
        /// Advice kept from an earlier cycle (`AdviceReuse`), used as it is.
        var reused: [ContainerID: ContainerAdvice] = [:]
    }

    static let batchSize = 64

    static func advise(_ store: any HistoryBackend, _ input: Input, progress: ProgressHandler?) async throws -> (rows: [ContainerAdvice], skipped: [String]) {
        let containersPerWorkload = Dictionary(grouping: input.containers, by: \.workload).mapValues(\.count)
        let jobs = max(1, input.jobs)
        let advisor = input.advisor
        var computed: [ContainerID: ContainerAdvice] = [:]
        var skipped: [String] = []
        let pending = input.containers.filter { input.reused[$0] == nil }
        let batches = stride(from: 0, to: pending.count, by: batchSize).map { Array(pending[$0..<min($0 + batchSize, pending.count)]) }
        // The next batch's history is read while this one is advised, so the reading (one core)
        // does not leave the other idle.
        func load(_ containers: [ContainerID]) -> Task<[ContainerHistory], any Error> {
            let (inventory, ooms, start, end, sharing) = (input.inventory, input.ooms, input.start, input.end, input.sharing)
            return Task {
                let stored = try await store.histories(containers, from: start, to: end)
                return containers.map { container in
                    let history = ContainerHistory.loaded(container, stored: stored[container], current: inventory[container], ooms: ooms,
                                                          from: start, to: end, soleContainer: containersPerWorkload[container.workload] == 1)
                    sharing?.take(history, declared: stored[container]?.declared)
                    return history
                }
            }
        }
        var next = batches.first.map(load)
        // A failed batch leaves the read of the next one nothing to hand over to.
        defer { next?.cancel() }
        var done = 0
        for index in batches.indices {
            guard let loading = next else { break }
            let batch = try await loading.value
            next = index + 1 < batches.count ? load(batches[index + 1]) : nil
            let results = try await advisor.advise(batch, jobs: jobs)
            for (history, row) in zip(batch, results) {
                if let row { computed[history.container] = row } else { skipped.append(history.container.description) }
            }
            done += batch.count
            progress?("advise", done, pending.count)
        }
        let rows = input.containers.compactMap { input.reused[$0] ?? computed[$0] }
        return (rows, skipped)
    }
}
