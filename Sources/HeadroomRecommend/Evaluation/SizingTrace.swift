import Foundation
import HeadroomCore

/// One container of the out-of-sample sizing protocol: CPU (cores) and memory (bytes) on the
/// 5-minute bins both series share, split into training (up to `trainingSteps` bins) and the
/// evaluation window (the last `evaluationSteps` bins).
public struct SizingTrace: Sendable {
    public var name: String
    /// Unix seconds of the training bins, ascending.
    public var trainingTimes: [Int64]
    public var trainingCPU: [Double]
    public var trainingMemory: [Double]
    public var evaluationCPU: [Double]
    public var evaluationMemory: [Double]

    public static let evaluationSteps = 576
    public static let trainingSteps = 4_032
    /// The shared bins must span at least this long (7.9 days).
    public static let minimumSpanSeconds: Int64 = 682_560

    public enum Skip: Error, Sendable, Equatable, CustomStringConvertible {
        case shortSpan(seconds: Int64)
        case tooFewBins(Int)

        public var description: String {
            switch self {
            case .shortSpan(let seconds): "the shared bins span \(String(format: "%.2f", Double(seconds) / 86_400)) days, under 7.9"
            case .tooFewBins(let count): "\(count) shared bins, not more than the \(SizingTrace.evaluationSteps) of the evaluation window"
            }
        }
    }

    /// The protocol's container from utilisation series in percent: CPU cores = pct/100 × 4,
    /// memory bytes = pct/100 × 8 GiB, on the bins both series hold.
    public static func fromUtilization(name: String, cpuPercent: RegularSeries, memoryPercent: RegularSeries) throws(Skip) -> SizingTrace {
        var memoryByTime: [Int64: Double] = [:]
        for (index, value) in memoryPercent.values.enumerated() { if let value { memoryByTime[memoryPercent.time(at: index)] = value } }
        var times: [Int64] = []
        var cpu: [Double] = []
        var memory: [Double] = []
        for (index, value) in cpuPercent.values.enumerated() {
            let time = cpuPercent.time(at: index)
            guard let value, let used = memoryByTime[time] else { continue }
            times.append(time)
            cpu.append(value / 100 * 4)
            memory.append(used / 100 * 8 * 1_073_741_824)
        }
        guard let first = times.first, let last = times.last, last - first >= minimumSpanSeconds else {
            throw .shortSpan(seconds: (times.last ?? 0) - (times.first ?? 0))
        }
        guard times.count > evaluationSteps else { throw .tooFewBins(times.count) }
        let split = times.count - evaluationSteps
        let trainingStart = max(0, split - trainingSteps)
        return SizingTrace(name: name, trainingTimes: Array(times[trainingStart..<split]), trainingCPU: Array(cpu[trainingStart..<split]),
                           trainingMemory: Array(memory[trainingStart..<split]), evaluationCPU: Array(cpu[split...]),
                           evaluationMemory: Array(memory[split...]))
    }

    public init(name: String, trainingTimes: [Int64], trainingCPU: [Double], trainingMemory: [Double], evaluationCPU: [Double], evaluationMemory: [Double]) {
        self.name = name
        self.trainingTimes = trainingTimes
        self.trainingCPU = trainingCPU
        self.trainingMemory = trainingMemory
        self.evaluationCPU = evaluationCPU
        self.evaluationMemory = evaluationMemory
    }

    /// The training part as the history `advise` reads from the store: 5-minute series on the
    /// bins' grid (bins the traces lack are gaps), one replica, current requests 2 cores and
    /// 8 GiB with an 8 GiB memory limit. The traces hold means only, so they stand for maxima too.
    public var history: ContainerHistory {
        let start = trainingTimes.first ?? 0
        let count = Int(((trainingTimes.last ?? start) - start) / 300) + 1
        var cpu = [Double?](repeating: nil, count: count)
        var memory = [Double?](repeating: nil, count: count)
        for (index, time) in trainingTimes.enumerated() {
            let slot = Int((time - start) / 300)
            cpu[slot] = trainingCPU[index] * 1000
            memory[slot] = trainingMemory[index]
        }
        let container = ContainerID(namespace: "traces", kind: .deployment, workload: name, container: "main")
        let cpuSeries = RegularSeries(start: start, step: 300, values: cpu)
        let memorySeries = RegularSeries(start: start, step: 300, values: memory)
        let current = InventoryRecord(container: container, observedAt: start,
                                      requests: ResourceAmounts(cpu: CPUQuantity(millicores: 2_000), memory: MemoryQuantity(bytes: 8 << 30)),
                                      limits: ResourceAmounts(memory: MemoryQuantity(bytes: 8 << 30)), replicas: 1)
        return ContainerHistory(container: container, current: current, cpuMean: cpuSeries, cpuMax: cpuSeries, memoryMean: memorySeries,
                                memoryMax: memorySeries, replicas: [Int?](repeating: 1, count: count), oomBytes: [], oomTimes: [], soleContainer: true)
    }
}
