/// One container's sample ingestion in the upstream VPA recommender (`model/container.go`): CPU
/// samples into a decaying histogram (weight 0.1, strictly newer than the last one), one memory
/// peak per aggregation window (a larger sample in the window replaces the peak: the old one is
/// subtracted, the new one added at the window's end), and OOM kills fed in as peaks of
/// max(used + bump, used × ratio), used = max(request, the window's non-OOM peak).
public struct VPAContainerState: Sendable {
    public struct Settings: Sendable, Hashable {
        public var intervalSeconds = 86_400.0
        public var oomBumpRatio = 1.2
        public var oomMinimumBumpBytes = 104_857_600.0
        public var halfLifeSeconds = 86_400.0
        public var cpuOptions = HistogramOptions.productionCPU
        public var memoryOptions = HistogramOptions.productionMemory

        public init() {}
    }

    /// One change to a histogram, as the conformance cases list them.
    public struct HistogramCall: Sendable, Hashable {
        public enum Histogram: String, Sendable { case cpu, memory }
        public enum Call: String, Sendable { case add, subtract }
        public var histogram: Histogram
        public var call: Call
        /// Cores for CPU, bytes for memory.
        public var value: Double
        public var weight: Double
        public var time: Double
    }

    public let settings: Settings
    public private(set) var cpu: DecayingHistogram
    public private(set) var memory: DecayingHistogram
    /// Every histogram change in order, when `recording`.
    public private(set) var calls: [HistogramCall] = []
    public var recording = false
    /// Keep a window's peak out of the histogram until the window closes (or `finish()`),
    /// instead of subtracting and adding it at each larger sample: the same histogram for a
    /// fraction of the work, which the `vpa` strategy over 5-minute buckets uses. Not with
    /// `recording`, whose calls are the upstream sequence.
    public var deferPeaks = false
    private var pending: (value: Double, end: Double)?
    /// Peaks are held back (`deferPeaks`), unless the calls are recorded.
    private var defers: Bool { deferPeaks && !recording }
    /// CPU samples accepted, and the first and last of their times (the confidence's inputs).
    public private(set) var cpuSamples = 0
    public private(set) var firstCPUSample: Double?
    public private(set) var lastCPUSample: Double?
    private var windowEnd: Double?
    private var memoryPeak = 0.0
    private var oomPeak = 0.0
    private var lastMemorySample: Double?

    public static let cpuSampleWeight = 0.1

    public init(settings: Settings = Settings()) {
        self.settings = settings
        cpu = DecayingHistogram(options: settings.cpuOptions, halfLife: settings.halfLifeSeconds)
        memory = DecayingHistogram(options: settings.memoryOptions, halfLife: settings.halfLifeSeconds)
    }

    /// A CPU sample in millicores; false (ignored) unless strictly newer than the last one and not negative.
    @discardableResult
    public mutating func addCPU(millicores: Double, at time: Double) -> Bool {
        guard millicores >= 0, millicores.isFinite, lastCPUSample.map({ time > $0 }) ?? true else { return false }
        let cores = millicores / 1000
        cpu.add(cores, weight: Self.cpuSampleWeight, time: time)
        record(.cpu, .add, cores, Self.cpuSampleWeight, time)
        cpuSamples += 1
        firstCPUSample = firstCPUSample ?? time
        lastCPUSample = time
        return true
    }

    /// A memory (working set) sample in bytes; false (ignored) when older than the last one or negative.
    @discardableResult
    public mutating func addMemory(bytes: Double, at time: Double) -> Bool {
        guard bytes >= 0, bytes.isFinite, lastMemorySample.map({ time >= $0 }) ?? true else { return false }
        lastMemorySample = time
        addPeak(bytes, at: time, isOOM: false)
        return true
    }

    /// An OOM kill with the container's memory request at the time; false (ignored) when it is
    /// older than the last memory sample less one interval.
    @discardableResult
    public mutating func recordOOM(at time: Double, requestBytes: Double) -> Bool {
        if let last = lastMemorySample, time < last - settings.intervalSeconds { return false }
        let used = max(requestBytes, memoryPeak)
        let needed = max(used + settings.oomMinimumBumpBytes, (used * settings.oomBumpRatio).rounded(.towardZero))
        addPeak(needed, at: time, isOOM: true)
        return true
    }

    /// Adds the window's peak still held back by `deferPeaks` to the histogram.
    public mutating func finish() {
        if let pending { memory.add(pending.value, weight: 1, time: pending.end) }
        pending = nil
    }

    private mutating func addPeak(_ usage: Double, at time: Double, isOOM: Bool) {
        var end = windowEnd ?? time
        var addNew = false
        if time < end {
            let old = max(memoryPeak, oomPeak)
            if old != 0 && usage > old {
                if !defers {
                    memory.subtract(old, weight: 1, time: end)
                    record(.memory, .subtract, old, 1, end)
                }
                addNew = true
            }
        } else {
            let interval = settings.intervalSeconds
            end += ((time - end) / interval).rounded(.towardZero) * interval + interval
            memoryPeak = 0
            oomPeak = 0
            addNew = true
            finish()
        }
        windowEnd = end
        guard addNew else { return }
        if defers {
            pending = (usage, end)
        } else {
            memory.add(usage, weight: 1, time: end)
            record(.memory, .add, usage, 1, end)
        }
        if isOOM { oomPeak = usage } else { memoryPeak = usage }
    }

    private mutating func record(_ histogram: HistogramCall.Histogram, _ call: HistogramCall.Call, _ value: Double, _ weight: Double, _ time: Double) {
        if recording { calls.append(HistogramCall(histogram: histogram, call: call, value: value, weight: weight, time: time)) }
    }
}
