import HeadroomCore
import HeadroomHistory
import HeadroomRecommend

/// Advises many containers: loads their history in batches of 64 (bounding memory) and advises
/// each batch on `jobs` cores; containers with advice in `reused` are neither loaded nor
/// advised. Rows come back in the containers' order.
enum AdvicePipeline {
    struct Input {
        var containers: [ContainerID]
        var inventory: [ContainerID: InventoryRecord]
        var ooms: [ContainerEvent]
        var start: Int64
        var end: Int64
        var advisor: ContainerAdvisor
        var jobs: Int
        /// Advice kept from an earlier cycle (`AdviceReuse`), used as it is.
        var reused: [ContainerID: ContainerAdvice] = [:]
    }

    static let batchSize = 64

    static func advise(_ store: HistoryStore, _ input: Input, progress: ProgressHandler?) async throws -> (rows: [ContainerAdvice], skipped: [String]) {
        let containersPerWorkload = Dictionary(grouping: input.containers, by: \.workload).mapValues(\.count)
        let jobs = max(1, input.jobs)
        let advisor = input.advisor
        var computed: [ContainerID: ContainerAdvice] = [:]
        var skipped: [String] = []
        let pending = input.containers.filter { input.reused[$0] == nil }
        for batchStart in stride(from: 0, to: pending.count, by: batchSize) {
            let batch = try pending[batchStart..<min(batchStart + batchSize, pending.count)].map { container in
                try store.containerHistory(container, current: input.inventory[container], ooms: input.ooms, from: input.start, to: input.end,
                                           soleContainer: containersPerWorkload[container.workload] == 1)
            }
            let results = try await withThrowingTaskGroup(of: [(Int, ContainerAdvice?)].self) { group in
                for worker in 0..<min(jobs, batch.count) {
                    group.addTask {
                        try stride(from: worker, to: batch.count, by: jobs).map { index in (index, try advisor.advise(batch[index])) }
                    }
                }
                var ordered = [ContainerAdvice?](repeating: nil, count: batch.count)
                for try await part in group { for (index, row) in part { ordered[index] = row } }
                return ordered
            }
            for (history, row) in zip(batch, results) {
                if let row { computed[history.container] = row } else { skipped.append(history.container.description) }
            }
            progress?("advise", batchStart + batch.count, pending.count)
        }
        let rows = input.containers.compactMap { input.reused[$0] ?? computed[$0] }
        return (rows, skipped)
    }
}
