import Foundation

/// Two threads of our own for the benchmarks' parallel work.
///
/// The benchmark harness waits for an async benchmark with a semaphore on one of the Swift
/// cooperative pool's threads, and on this 2-core machine that pool has two: every task of a
/// benchmark then ran on the one thread left, one after another (measured: two equal spins on
/// `parallelMap`'s two workers took twice as long as one). `headroom` itself has both threads,
/// so a benchmark that stands for "2 workers" runs its work under this executor's preference
/// (`onTwoWorkers`): task groups and `async let` inside it use these threads. Unstructured
/// `Task {}`s (the advice pipeline's read-ahead of the next batch) still go to the cooperative
/// thread left, so such a benchmark has three threads where `headroom` has two.
final class BenchmarkWorkers: TaskExecutor, @unchecked Sendable {
    static let shared = BenchmarkWorkers(threads: 2)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "bench-worker-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            // Drop what was taken once the queue is drained, so it does not grow without end.
            if next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// `body` with its child tasks on `BenchmarkWorkers`' two threads.
func onTwoWorkers<Result: Sendable>(_ body: () async throws -> Result) async rethrows -> Result {
    try await withTaskExecutorPreference(BenchmarkWorkers.shared, operation: body)
}
