import Foundation
import HeadroomCore

/// Generates the demo cluster's history deterministically from a seed: the same options give
/// byte-identical output on every run and platform.
public struct DemoClusterGenerator: Sendable {
    public struct Options: Sendable, Hashable {
        public var seed: UInt64 = 20_261_123
        /// End of the history (exclusive), unix seconds. Default 2026-11-23T00:00:00Z.
        public var end: Int64 = 1_795_392_000
        public var days: Int = 21
        /// Seconds between samples of one pod (several samples per 5-minute bucket give the
        /// bucket a meaningful max).
        public var sampleInterval: Int64 = 150
        public init() {}
    }

    public let options: Options
    public let workloads: [DemoWorkloadSpec]

    public init(options: Options = Options(), workloads: [DemoWorkloadSpec] = DemoCluster.workloads) {
        precondition(options.sampleInterval > 0 && 300 % options.sampleInterval == 0, "sample interval must divide 300 s")
        self.options = options
        self.workloads = workloads
    }

    public var start: Int64 { options.end - Int64(options.days) * 86_400 }

    /// Calls `emit` for every sample in time order (then workload, then pod order).
    public func generate(_ emit: (DemoSample) throws -> Void) rethrows {
        var states = workloads.map { WorkloadState(spec: $0, seed: options.seed) }
        let step: Int64 = 300
        var bucket = start
        while bucket < options.end {
            for index in states.indices {
                try states[index].advance(to: bucket, generator: self, step: step, emit: emit)
            }
            bucket += step
        }
    }

    /// Mutable per-workload state: its random stream, burst in progress and leak ages.
    private struct WorkloadState {
        let spec: DemoWorkloadSpec
        var random: SplitMix64
        var burstStepsLeft = 0
        var burstFactor = 1.0
        /// Hours since each pod's last (re)start while leaking.
        var leakAgeHours: [Double]

        init(spec: DemoWorkloadSpec, seed: UInt64) {
            self.spec = spec
            random = SplitMix64(seed: seed ^ stableHash("\(spec.environment)/\(spec.name)"))
            leakAgeHours = Array(repeating: 0, count: spec.maxReplicas)
        }

        mutating func advance(to bucket: Int64, generator: DemoClusterGenerator, step: Int64, emit: (DemoSample) throws -> Void) rethrows {
            let options = generator.options
            let progress = Double(bucket - generator.start) / Double(options.end - generator.start)
            if burstStepsLeft == 0 && random.nextUnit() < 0.004 {
                burstStepsLeft = 3 + Int(random.nextUnit() * 7)
                burstFactor = 1.6 + random.nextUnit()
            }
            let burst = burstStepsLeft > 0 ? burstFactor : 1.0
            if burstStepsLeft > 0 { burstStepsLeft -= 1 }
            let load = LoadShape.seasonal(bucket) * (1 + spec.growth * progress) * exp(0.08 * random.nextGaussian()) * burst
            let idle: Bool
            if case .idleForLastDays(let days) = spec.anomaly { idle = bucket >= options.end - Int64(days) * 86_400 } else { idle = false }
            let demand = idle ? 0 : spec.peakCPUMillicores * load
            let replicas = replicaCount(demand: demand)
            for pod in 0..<replicas {
                let zones = spec.environment == "production" ? DemoCluster.productionZones : [DemoCluster.productionZones[0]]
                let zone = zones[pod % zones.count]
                let podName = podName(pod)
                let podShare = (1 + 0.06 * Double(pod % 3 - 1))
                var oomKilled = false
                var memory = idle
                    ? spec.baseMemoryBytes * 0.6
                    : spec.baseMemoryBytes + spec.peakExtraMemoryBytes * min(load, 2.5)
                if case .memoryLeak(let startDay, let bytesPerHour) = spec.anomaly {
                    let leakStart = generator.start + Int64(startDay) * 86_400 + Int64(pod) * 7 * 3600
                    if bucket >= leakStart {
                        leakAgeHours[pod] += Double(step) / 3600
                        memory += bytesPerHour * leakAgeHours[pod]
                        if let limit = spec.limit.memory, memory >= Double(limit.bytes) {
                            memory = Double(limit.bytes)
                            oomKilled = true
                            leakAgeHours[pod] = 0
                        }
                    }
                }
                var sampleTime = bucket
                while sampleTime < bucket + step {
                    let cpu = idle
                        ? 0.5 + random.nextUnit()
                        : (spec.idleCPUMillicores + demand / Double(replicas) * podShare) * exp(0.12 * random.nextGaussian())
                    let lastInBucket = sampleTime + options.sampleInterval >= bucket + step
                    let sampleMemory = memory * (1 + 0.01 * random.nextGaussian())
                    try emit(DemoSample(
                        time: sampleTime, workload: spec, pod: podName, zone: zone, replicas: replicas,
                        cpuMillicores: max(0.1, min(cpu, Double(spec.limit.cpu?.millicores ?? .max))),
                        memoryBytes: oomKilled && lastInBucket ? memory : min(sampleMemory, Double(spec.limit.memory?.bytes ?? .max)),
                        oomKilled: oomKilled && lastInBucket))
                    sampleTime += options.sampleInterval
                }
            }
        }

        /// What an HPA targeting `hpaTargetCPUPercent` of the request would run for this demand.
        private func replicaCount(demand: Double) -> Int {
            guard let target = spec.hpaTargetCPUPercent, let request = spec.request.cpu else { return spec.minReplicas }
            let perPodTarget = Double(request.millicores) * Double(target) / 100
            let desired = Int((demand / perPodTarget).rounded(.up))
            return min(spec.maxReplicas, max(spec.minReplicas, desired))
        }

        private func podName(_ index: Int) -> String {
            if spec.kind == .statefulSet { return "\(spec.name)-\(index)" }
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            func token(_ seed: String, length: Int) -> String {
                var hash = stableHash(seed)
                var token = ""
                for _ in 0..<length {
                    token.append(alphabet[Int(hash % UInt64(alphabet.count))])
                    hash /= UInt64(alphabet.count)
                }
                return token
            }
            let templateHash = token("\(spec.environment)/\(spec.name)", length: 9)
            return "\(spec.name)-\(templateHash)-\(token("\(spec.environment)/\(spec.name)/\(index)", length: 5))"
        }
    }
}

/// FNV-1a 64: a hash that, unlike `Hasher`, is the same in every process.
func stableHash(_ text: String) -> UInt64 {
    FNV1a.hash(text)
}
