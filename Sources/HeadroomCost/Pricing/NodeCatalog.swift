import HeadroomRecommend

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
