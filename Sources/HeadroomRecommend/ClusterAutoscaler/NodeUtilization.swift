/// A node's utilization as the Cluster Autoscaler computes it for scale-down
/// (`simulator/utilization/info.go`): `max(cpu, memory)` of pod requests over allocatable;
/// with the skip options, DaemonSet (or mirror) pods leave the numerator and their requests
/// leave allocatable. GPU nodes use GPU requests over GPU allocatable only. Pods still
/// terminating past their grace period plus 30 s are left out; a pod's request is
/// `PodRequests`' (init containers and sidecars included) when the caller builds it from containers.
public enum NodeUtilization {
    public enum PodKind: Sendable { case regular, daemonSet, mirror }

    public struct Pod: Sendable {
        public var cpuMillicores: Int64
        public var memoryBytes: Int64
        public var kind: PodKind
        public var gpus: Int64
        /// When the pod was deleted (seconds on the caller's clock), and its grace period.
        public var deletedAt: Double?
        public var terminationGracePeriodSeconds: Double
        public init(cpuMillicores: Int64, memoryBytes: Int64, kind: PodKind, gpus: Int64 = 0, deletedAt: Double? = nil,
                    terminationGracePeriodSeconds: Double = 30) {
            self.cpuMillicores = cpuMillicores
            self.memoryBytes = memoryBytes
            self.kind = kind
            self.gpus = gpus
            self.deletedAt = deletedAt
            self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        }

        /// Terminating for longer than its grace period plus 30 s at `now` (`drain.IsPodLongTerminating`).
        public func isLongTerminating(now: Double) -> Bool {
            guard let deletedAt else { return false }
            return deletedAt + terminationGracePeriodSeconds + 30 < now
        }
    }

    public struct Failure: Error, Sendable, Equatable { public let reason: String }

    public static func utilization(allocatableCPU: Int64?, allocatableMemory: Int64?, pods: [Pod], skipDaemonSets: Bool,
                                   skipMirrors: Bool, gpuAllocatable: Int64? = nil, gpuUnready: Bool = false,
                                   now: Double = 0) throws(Failure) -> (utilization: Double, cpu: Double, memory: Double) {
        if gpuUnready { return (0, 0, 0) }
        if let gpuAllocatable, gpuAllocatable > 0 {
            let used = Double(pods.reduce(0) { $0 + $1.gpus })
            return (used / Double(gpuAllocatable), 0, 0)
        }
        guard let cpuAllocatable = allocatableCPU, cpuAllocatable > 0, let memoryAllocatable = allocatableMemory, memoryAllocatable > 0 else {
            throw Failure(reason: "node has no allocatable CPU or memory")
        }
        var cpu = 0.0, memory = 0.0, excludedCPU = 0.0, excludedMemory = 0.0
        for pod in pods {
            let skipped = (pod.kind == .daemonSet && skipDaemonSets) || (pod.kind == .mirror && skipMirrors)
            if skipped {
                excludedCPU += Double(pod.cpuMillicores)
                excludedMemory += Double(pod.memoryBytes)
            } else if pod.isLongTerminating(now: now) {
                continue
            } else {
                cpu += Double(pod.cpuMillicores)
                memory += Double(pod.memoryBytes)
            }
        }
        let cpuUtil = cpu / (Double(cpuAllocatable) - excludedCPU)
        let memoryUtil = memory / (Double(memoryAllocatable) - excludedMemory)
        return (max(cpuUtil, memoryUtil), cpuUtil, memoryUtil)
    }

    /// A node is unneeded (a scale-down candidate) when its utilization is at most the threshold.
    public static func isUnderutilized(_ utilization: Double, threshold: Double) -> Bool { utilization <= threshold }
}
