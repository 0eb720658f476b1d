/// A pod's effective request as the scheduler and the kubelet compute it
/// (`resourcehelper.PodRequests`): the app containers plus the restartable ("sidecar") init
/// containers, or, if larger, the largest regular init container plus the sidecars started
/// before it; per resource.
public enum PodRequests {
    public struct Container: Sendable, Hashable {
        public var cpuMillicores: Int64
        public var memoryBytes: Int64
        /// An init container with `restartPolicy: Always` (a sidecar, running beside the app).
        public var restartable: Bool

        public init(cpuMillicores: Int64, memoryBytes: Int64, restartable: Bool = false) {
            self.cpuMillicores = cpuMillicores
            self.memoryBytes = memoryBytes
            self.restartable = restartable
        }
    }

    /// (CPU millicores, memory bytes) of a pod with `containers` and `initContainers` (in order).
    public static func of(containers: [Container], initContainers: [Container]) -> (cpuMillicores: Int64, memoryBytes: Int64) {
        var cpu = containers.reduce(Int64(0)) { $0 + $1.cpuMillicores }
        var memory = containers.reduce(Int64(0)) { $0 + $1.memoryBytes }
        var sidecarCPU: Int64 = 0, sidecarMemory: Int64 = 0
        var initCPU: Int64 = 0, initMemory: Int64 = 0
        for container in initContainers {
            let stepCPU: Int64, stepMemory: Int64
            if container.restartable {
                cpu += container.cpuMillicores
                memory += container.memoryBytes
                sidecarCPU += container.cpuMillicores
                sidecarMemory += container.memoryBytes
                stepCPU = sidecarCPU
                stepMemory = sidecarMemory
            } else {
                stepCPU = container.cpuMillicores + sidecarCPU
                stepMemory = container.memoryBytes + sidecarMemory
            }
            initCPU = max(initCPU, stepCPU)
            initMemory = max(initMemory, stepMemory)
        }
        return (max(cpu, initCPU), max(memory, initMemory))
    }
}
