import Foundation
import HeadroomCore
import HeadroomRecommend
import Testing

@Suite struct VPAContainerStateTests {
    func state() -> VPAContainerState {
        var state = VPAContainerState()
        state.recording = true
        return state
    }

    @Test("CPU samples go in as cores with weight 0.1, only when strictly newer and not negative")
    func cpu() {
        var state = state()
        let accepted = [state.addCPU(millicores: 500, at: 100), state.addCPU(millicores: 700, at: 100),
                        state.addCPU(millicores: -1, at: 200), state.addCPU(millicores: 250, at: 200)]
        #expect(accepted == [true, false, false, true])
        #expect(state.calls.map(\.value) == [0.5, 0.25] && state.calls.allSatisfy { $0.weight == 0.1 && $0.histogram == .cpu })
        #expect(state.cpuSamples == 2 && state.firstCPUSample == 100 && state.lastCPUSample == 200)
    }

    @Test("one memory peak per day: a larger sample in the window replaces the peak at the window's end; a later one opens the next window")
    func memoryPeaks() {
        var state = state()
        state.addMemory(bytes: 100, at: 1_000)        // window ends at 87,400
        state.addMemory(bytes: 50, at: 2_000)         // smaller: nothing
        state.addMemory(bytes: 300, at: 3_000)        // larger: −100, +300 at 87,400
        state.addMemory(bytes: 10, at: 87_400 + 2 * 86_400 + 5)  // two windows later: ends at 87,400 + 3 days
        let older = state.addMemory(bytes: 999, at: 3_000)
        #expect(!older)  // older than the last sample
        let calls = state.calls.map { "\($0.call.rawValue) \(Int($0.value)) @\(Int($0.time))" }
        #expect(calls == ["add 100 @87400", "subtract 100 @87400", "add 300 @87400", "add 10 @346600"])
    }

    @Test("an OOM kill adds max(used + 100 MiB, used × 1.2), used = max(request, the window's peak); one older than a day before the last sample is refused")
    func oom() {
        var state = state()
        state.addMemory(bytes: 1_000_000_000, at: 0)
        let recorded = state.recordOOM(at: 10, requestBytes: 500_000_000)
        #expect(recorded)
        // used 1e9: max(1e9 + 104,857,600, 1.2e9) = 1.2e9 replaces the 1e9 peak.
        #expect(state.calls.last?.value == 1_200_000_000 && state.calls.dropLast().last?.call == .subtract)
        state.addMemory(bytes: 10, at: 200_000)
        let stale = state.recordOOM(at: 200_000 - 86_401, requestBytes: 1)
        #expect(!stale)
    }
}

@Suite struct HistogramCheckpointTests {
    let options = HistogramOptions(maxValue: 10, scheme: .linear(bucketSize: 1), epsilon: 1e-15)

    @Test("saving scales the heaviest bucket to 10,000 and rounds half up; loading spreads the total in the stored proportions")
    func roundTrip() throws {
        var histogram = Histogram(options: options)
        histogram.add(1, weight: 1)
        histogram.add(2, weight: 20_000)
        histogram.add(3, weight: 3)
        let checkpoint = histogram.checkpoint
        // 1 × 0.5 = 0.5 → 1 (half up); 3 × 0.5 = 1.5 → 2.
        #expect(checkpoint.bucketWeights == [1: 1, 2: 10_000, 3: 2] && checkpoint.totalWeight == 20_004)
        let loaded = try Histogram(options: options, loading: checkpoint)
        #expect(abs(loaded.weights[2] - 20_004 * 10_000 / 10_003) < 1e-9 && loaded.totalWeight == 20_004)
    }

    @Test("a negative total or a bucket outside the scheme is an error; all-zero weights load an empty histogram")
    func invalid() throws {
        #expect(throws: HistogramCheckpoint.LoadError.negativeTotal(-1)) { try Histogram(options: options, loading: .init(totalWeight: -1, bucketWeights: [:])) }
        #expect(throws: HistogramCheckpoint.LoadError.bucketOutOfRange(11, buckets: 11)) {
            try Histogram(options: options, loading: .init(totalWeight: 1, bucketWeights: [11: 1]))
        }
        #expect(try Histogram(options: options, loading: .init(totalWeight: 5, bucketWeights: [2: 0])).isEmpty)
    }
}

@Suite struct HPAScaleEventStoreTests {
    @Test("a new event takes the place of the last event older than the longest period, or is appended; the change per period counts younger events")
    func store() {
        var store = HPAScaleEventStore(events: [.init(change: 3, time: -10), .init(change: 2, time: -100), .init(change: 4, time: -90)])
        #expect(store.change(inLast: 60, now: 0) == 3)
        store.store(change: 5, now: 0, longestPeriodSeconds: 60)
        #expect(store.events.map(\.change) == [3, 2, 5] && store.events.map(\.outdated) == [false, true, false])
        store.store(change: 1, now: 1, longestPeriodSeconds: 60)
        // The 2 is still outdated: its place is taken.
        #expect(store.events.map(\.change) == [3, 1, 5])
        store.store(change: 7, now: 2, longestPeriodSeconds: 60)
        #expect(store.events.map(\.change) == [3, 1, 5, 7])
    }
}

@Suite struct DeferredPeakTests {
    @Test("holding a window's peak back until the window closes gives the histogram the upstream calls give")
    func sameHistogram() {
        var random = SplitMix64(seed: 3)
        var immediate = VPAContainerState(), deferred = VPAContainerState()
        deferred.deferPeaks = true
        for step in 0..<(9 * 288) {
            let time = Double(step * 300)
            let bytes = 200e6 + 100e6 * sin(Double(step) / 40) + 20e6 * random.nextUnit()
            if step % 700 == 350 {
                immediate.recordOOM(at: time, requestBytes: 250e6)
                deferred.recordOOM(at: time, requestBytes: 250e6)
            }
            immediate.addMemory(bytes: bytes, at: time)
            deferred.addMemory(bytes: bytes, at: time)
        }
        deferred.finish()
        for p in [0.5, 0.9, 0.95, 1.0] { #expect(immediate.memory.percentile(p) == deferred.memory.percentile(p)) }
        #expect(abs(immediate.memory.histogram.totalWeight - deferred.memory.histogram.totalWeight) < 1e-9 * deferred.memory.histogram.totalWeight)
    }
}
