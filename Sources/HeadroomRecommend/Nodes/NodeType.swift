import HeadroomCore

/// A node type that can be bought: shape, pod limit and price.
public struct NodeType: Sendable, Hashable, Codable {
    public var name: String
    public var vcpu: Int
    public var memoryGiB: Int
    /// Pods the node's network allows (AWS: ENI-based).
    public var maxPods: Int
    /// On-demand list price, micro-dollars per hour.
    public var microdollarsPerHour: Int64

    public init(name: String, vcpu: Int, memoryGiB: Int, maxPods: Int, microdollarsPerHour: Int64) {
        self.name = name
        self.vcpu = vcpu
        self.memoryGiB = memoryGiB
        self.maxPods = maxPods
        self.microdollarsPerHour = microdollarsPerHour
    }

    /// What pods can request on it, after kube/system reservations (EKS AL2023 as Karpenter
    /// computes them): CPU keeps 6 % of the first core, 1 % of the second, 0.5 % of the next two and
    /// 0.25 % of the rest; memory loses 7.5 % VM overhead, 11 MiB per pod + 255 MiB, and a 100 MiB
    /// eviction threshold. m6i.xlarge → 3920m and 14162Mi; m6i.large → 1930m and 6903Mi.
    public var allocatable: ResourceAmounts {
        var reservedCPU = 0.0
        for core in 0..<vcpu {
            let share: Double = switch core {
            case 0: 60
            case 1: 10
            case 2, 3: 5
            default: 2.5
            }
            reservedCPU += share
        }
        let capacityMiB = Double(memoryGiB * 1024)
        let memoryMiB = (capacityMiB * (1 - 0.075)).rounded(.down) - Double(11 * maxPods + 255) - 100
        return ResourceAmounts(cpu: CPUQuantity(millicores: Int64(vcpu * 1000) - Int64(reservedCPU.rounded(.up))),
                               memory: MemoryQuantity(bytes: Int64(memoryMiB) << 20))
    }
}
