import HeadroomCore
import HeadroomHistory

/// Advises many containers: loads their history in batches (bounding memory) and advises each
/// batch on every core. Shared by `advise`, `budget check` and `reclaim`.
enum AdvicePipeline {
    static func advise(_ history: HistoryStore, containers: [ContainerID], inventory: [ContainerID: InventoryRecord], ooms: [ContainerEvent],
                       from start: Int64, to end: Int64, advisor: ContainerAdvisor, jobs: Int,
                       progressLabel: String? = "advise") async throws -> (rows: [AdviceRow], skipped: [String]) {
        let containersPerWorkload = Dictionary(grouping: containers, by: \.workload).mapValues(\.count)
        var rows: [AdviceRow] = []
        var skipped: [String] = []
        let progress = ProgressReporter()
        for batchStart in stride(from: 0, to: containers.count, by: 64) {
            let batch = try containers[batchStart..<min(batchStart + 64, containers.count)].map { container in
                try history.containerHistory(container, current: inventory[container], ooms: ooms, from: start, to: end,
                                             soleContainer: containersPerWorkload[container.workload] == 1)
            }
            let results = try await withThrowingTaskGroup(of: [(Int, AdviceRow?)].self) { group in
                for worker in 0..<min(jobs, batch.count) {
                    group.addTask {
                        try stride(from: worker, to: batch.count, by: jobs).map { index in (index, try advisor.advise(batch[index])) }
                    }
                }
                var ordered = [AdviceRow?](repeating: nil, count: batch.count)
                for try await part in group { for (index, row) in part { ordered[index] = row } }
                return ordered
            }
            for (history, row) in zip(batch, results) {
                if let row { rows.append(row) } else { skipped.append(history.container.description) }
            }
            if let progressLabel {
                progress.update(progressLabel, done: batchStart + batch.count, total: containers.count, unit: "containers")
            }
        }
        return (rows, skipped)
    }
}
