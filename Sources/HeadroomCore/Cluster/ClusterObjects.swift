/// A node as the scheduler sees it: pool, zone, type, and what it offers to pods.
public struct NodeRecord: Hashable, Sendable, Codable {
    public var name: String
    public var nodePool: String?
    public var zone: String?
    public var instanceType: String?
    public var allocatable: ResourceAmounts
    public var capacity: ResourceAmounts

    public init(name: String, nodePool: String? = nil, zone: String? = nil, instanceType: String? = nil,
                allocatable: ResourceAmounts, capacity: ResourceAmounts) {
        self.name = name
        self.nodePool = nodePool
        self.zone = zone
        self.instanceType = instanceType
        self.allocatable = allocatable
        self.capacity = capacity
    }
}

/// One resource line of a namespace's ResourceQuota (`requests.cpu`, `limits.memory`, `pods`…),
/// in the quota's own words: quantities stay strings here and are read by whoever prices them.
public struct ResourceQuotaRecord: Hashable, Sendable, Codable {
    public var namespace: String
    public var name: String
    public var resource: String
    public var hard: String
    public var used: String?
    /// The cluster it belongs to, set when several clusters' quotas are evaluated together
    /// (a budget over clusters); nil otherwise. Not stored: the store keeps quotas per cluster.
    public var cluster: String?

    public init(namespace: String, name: String, resource: String, hard: String, used: String?) {
        self.namespace = namespace
        self.name = name
        self.resource = resource
        self.hard = hard
        self.used = used
    }
}

/// One resource line of a LimitRange item (type Container or Pod).
public struct LimitRangeRecord: Hashable, Sendable, Codable {
    public var namespace: String
    public var name: String
    public var type: String
    public var resource: String
    public var defaultLimit: String?
    public var defaultRequest: String?
    public var min: String?
    public var max: String?

    public init(namespace: String, name: String, type: String, resource: String, defaultLimit: String?, defaultRequest: String?,
                min: String?, max: String?) {
        self.namespace = namespace
        self.name = name
        self.type = type
        self.resource = resource
        self.defaultLimit = defaultLimit
        self.defaultRequest = defaultRequest
        self.min = min
        self.max = max
    }
}

/// A VerticalPodAutoscaler already acting on a workload (Headroom must not fight it).
public struct VPARecord: Hashable, Sendable, Codable {
    public var namespace: String
    public var name: String
    public var targetKind: String
    public var targetName: String
    public var updateMode: String?

    public init(namespace: String, name: String, targetKind: String, targetName: String, updateMode: String?) {
        self.namespace = namespace
        self.name = name
        self.targetKind = targetKind
        self.targetName = targetName
        self.updateMode = updateMode
    }
}

/// A PersistentVolume: its size and class, whether it is bound, and (when a pod mounts its claim)
/// the workload that uses it. Unbound volumes (Available, Released) cost money for nothing.
public struct VolumeRecord: Hashable, Sendable, Codable {
    public var name: String
    public var storageClass: String?
    public var capacityBytes: Int64
    /// Bound, Available, Released, Failed, Pending.
    public var phase: String
    public var claimNamespace: String?
    public var claimName: String?
    public var workload: WorkloadID?

    public init(name: String, storageClass: String?, capacityBytes: Int64, phase: String, claimNamespace: String? = nil,
                claimName: String? = nil, workload: WorkloadID? = nil) {
        self.name = name
        self.storageClass = storageClass
        self.capacityBytes = capacityBytes
        self.phase = phase
        self.claimNamespace = claimNamespace
        self.claimName = claimName
        self.workload = workload
    }

    /// Not bound to a claim, or bound to a claim no pod mounts.
    public var isUnattached: Bool { phase != "Bound" || workload == nil }
}

/// Cluster-level objects of one inventory snapshot.
public struct ClusterObjects: Hashable, Sendable, Codable {
    /// When the snapshot was taken, unix seconds.
    public var observedAt: Int64
    public var nodes: [NodeRecord]
    public var quotas: [ResourceQuotaRecord]
    public var limitRanges: [LimitRangeRecord]
    public var vpas: [VPARecord]
    public var volumes: [VolumeRecord]
    /// The cluster the objects belong to, when the source says (kube-state-metrics' `cluster` label).
    public var cluster: String?

    public init(observedAt: Int64, nodes: [NodeRecord] = [], quotas: [ResourceQuotaRecord] = [], limitRanges: [LimitRangeRecord] = [],
                vpas: [VPARecord] = [], volumes: [VolumeRecord] = [], cluster: String? = nil) {
        self.observedAt = observedAt
        self.nodes = nodes
        self.quotas = quotas
        self.limitRanges = limitRanges
        self.vpas = vpas
        self.volumes = volumes
        self.cluster = cluster
    }
}
