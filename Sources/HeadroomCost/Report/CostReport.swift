import HeadroomCore

/// Stored daily costs grouped for a report: one line per group with its own cost and its part
/// of the shared namespaces' cost, idle per pool, unattached volumes.
public struct CostReport: Sendable, Hashable, Encodable {
    public struct Line: Sendable, Hashable, Encodable {
        public var name: String
        public var ownMicrodollars: Int64
        public var sharedMicrodollars: Int64
        public var totalMicrodollars: Int64 { ownMicrodollars + sharedMicrodollars }

        private enum CodingKeys: String, CodingKey { case name, ownMicrodollars, sharedMicrodollars, totalMicrodollars }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(ownMicrodollars, forKey: .ownMicrodollars)
            try container.encode(sharedMicrodollars, forKey: .sharedMicrodollars)
            try container.encode(totalMicrodollars, forKey: .totalMicrodollars)
        }
    }
    public struct Idle: Sendable, Hashable, Encodable {
        public var pool: String
        public var nodeMicrodollars: Int64
        public var idleMicrodollars: Int64
    }
    public struct Volume: Sendable, Hashable, Encodable {
        public var volume: String
        public var microdollars: Int64

        public init(volume: String, microdollars: Int64) {
            self.volume = volume
            self.microdollars = microdollars
        }
    }
    /// Window `[from, to)`, midnight UTC.
    public var from: Int64
    public var to: Int64
    public var by: String
    public var distribution: String
    public var sharedNamespaces: [String]
    public var lines: [Line]
    public var idle: [Idle]
    public var unattachedVolumes: [Volume]

    /// The workloads' lines (with their volumes), idle node capacity, unattached volumes, and
    /// everything the window cost: their sum.
    public var workloadsMicrodollars: Int64 { lines.reduce(0) { $0 + $1.totalMicrodollars } }
    public var idleMicrodollars: Int64 { idle.reduce(0) { $0 + $1.idleMicrodollars } }
    public var unattachedMicrodollars: Int64 { unattachedVolumes.reduce(0) { $0 + $1.microdollars } }
    public var totalMicrodollars: Int64 { workloadsMicrodollars + idleMicrodollars + unattachedMicrodollars }

    public struct Options: Sendable {
        public var by: CostGrouping
        public var sharedNamespaces: Set<String>
        public var distribution: SharedCostDistribution

        public init(by: CostGrouping = .namespace, sharedNamespaces: Set<String> = ["kube-system", "monitoring"],
                    distribution: SharedCostDistribution = .proportional) {
            self.by = by
            self.sharedNamespaces = sharedNamespaces
            self.distribution = distribution
        }
    }

    /// Groups the rows of `[from, to)`. Shared namespaces are spread over the other groups (not
    /// when grouping by pool, nor with distribution `none`); idle stays per pool.
    public static func build(from: Int64, to: Int64, containers: [StoredContainerCost], pools: [StoredPoolCost], volumes: [StoredVolumeCost],
                             labels: [ContainerID: [String: String]], options: Options) -> CostReport {
        func key(_ row: StoredContainerCost) -> String {
            switch options.by {
            case .namespace: row.container.workload.namespace
            case .workload: "\(row.container.workload.namespace)/\(row.container.workload.name)"
            case .container: row.container.description
            case .pool: row.pool ?? "(unpriced)"
            case .label(let key): labels[row.container]?[key] ?? "(no \(key))"
            }
        }
        var own: [String: Int64] = [:]
        var sharedTotal: Int64 = 0
        for row in containers {
            if options.by != .pool && options.distribution != .none && options.sharedNamespaces.contains(row.container.workload.namespace) {
                sharedTotal += row.total
            } else {
                own[key(row), default: 0] += row.total
            }
        }
        let names = own.keys.sorted()
        let parts = options.distribution.split(sharedTotal, over: names.map { own[$0]! })
        let lines = zip(names, parts).map { name, part in Line(name: name, ownMicrodollars: own[name]!, sharedMicrodollars: part) }
        var idle: [String: Idle] = [:]
        for row in pools {
            idle[row.pool, default: Idle(pool: row.pool, nodeMicrodollars: 0, idleMicrodollars: 0)].nodeMicrodollars += row.nodeMicrodollars
            idle[row.pool]!.idleMicrodollars += row.idleCPUMicrodollars + row.idleRAMMicrodollars
        }
        var unattached: [String: Int64] = [:]
        for row in volumes { unattached[row.volume, default: 0] += row.microdollars }
        return CostReport(from: from, to: to, by: options.by.name, distribution: options.distribution.rawValue,
                          sharedNamespaces: options.sharedNamespaces.sorted(),
                          lines: lines.sorted { $0.totalMicrodollars > $1.totalMicrodollars },
                          idle: idle.values.sorted { $0.pool < $1.pool },
                          unattachedVolumes: unattached.sorted { $0.key < $1.key }.map { Volume(volume: $0.key, microdollars: $0.value) })
    }
}
