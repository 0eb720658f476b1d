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

/// The node types Headroom sizes pools with when the user gives none: AWS us-east-1 m6i, c6i
/// and r6i, large to 4xlarge, on-demand Linux list prices (shared/data/pricing/catalog.csv,
/// 2026 snapshot; the same rows as models/pricing/nodes-aws-us-east-1.yaml).
public enum NodeCatalog {
    public static let awsUSEast1: [NodeType] = [
        NodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, microdollarsPerHour: 96_000),
        NodeType(name: "m6i.xlarge", vcpu: 4, memoryGiB: 16, maxPods: 58, microdollarsPerHour: 192_000),
        NodeType(name: "m6i.2xlarge", vcpu: 8, memoryGiB: 32, maxPods: 58, microdollarsPerHour: 384_000),
        NodeType(name: "m6i.4xlarge", vcpu: 16, memoryGiB: 64, maxPods: 234, microdollarsPerHour: 768_000),
        NodeType(name: "c6i.large", vcpu: 2, memoryGiB: 4, maxPods: 29, microdollarsPerHour: 85_000),
        NodeType(name: "c6i.xlarge", vcpu: 4, memoryGiB: 8, maxPods: 58, microdollarsPerHour: 170_000),
        NodeType(name: "c6i.2xlarge", vcpu: 8, memoryGiB: 16, maxPods: 58, microdollarsPerHour: 340_000),
        NodeType(name: "c6i.4xlarge", vcpu: 16, memoryGiB: 32, maxPods: 234, microdollarsPerHour: 680_000),
        NodeType(name: "r6i.large", vcpu: 2, memoryGiB: 16, maxPods: 29, microdollarsPerHour: 126_000),
        NodeType(name: "r6i.xlarge", vcpu: 4, memoryGiB: 32, maxPods: 58, microdollarsPerHour: 252_000),
        NodeType(name: "r6i.2xlarge", vcpu: 8, memoryGiB: 64, maxPods: 58, microdollarsPerHour: 504_000),
        NodeType(name: "r6i.4xlarge", vcpu: 16, memoryGiB: 128, maxPods: 234, microdollarsPerHour: 1_008_000),
    ]
}
