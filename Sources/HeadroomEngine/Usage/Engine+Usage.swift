import HeadroomCore
import HeadroomHistory

/// What `headroom usage` answers; JSON/YAML carry CPU in millicores and memory in bytes.
public struct UsageReport: Sendable, Encodable {
    public var windowStart: Int64
    public var windowEnd: Int64
    /// P95 under this share of the request marks a resource over-provisioned.
    public var threshold: Double
    public var containers: [UsageProfile]
}

extension Engine {
    /// Percentiles of each container's usage over the window against its requests. The window
    /// ends at `end`, or just after the last stored bucket.
    public func usage(sinceSeconds: Int64, end: Int64? = nil, namespaces: [String] = [],
                      threshold: Double = UsageProfile.defaultOverProvisionedBelow) async throws -> UsageReport {
        guard let range = try await store.usageTimeRange(cluster: cluster) else {
            throw EngineError(.missingData, "the history store \(store.location) holds no 5-minute usage yet: run 'headroom import' first")
        }
        let windowEnd = end ?? range.upperBound + 300
        let windowStart = windowEnd - sinceSeconds
        let inventory = Dictionary(try await store.latestInventory(asOf: windowEnd, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let ooms = try await store.events(kind: .oomKilled, cluster: cluster).filter { $0.time >= windowStart && $0.time < windowEnd }
        var profiles: [UsageProfile] = []
        for container in try await store.containers(cluster: cluster) where namespaces.isEmpty || namespaces.contains(container.workload.namespace) {
            let cpu = try await store.buckets(container, resource: .cpu, from: windowStart, to: windowEnd, resolution: .fiveMinutes)
            let memory = try await store.buckets(container, resource: .memory, from: windowStart, to: windowEnd, resolution: .fiveMinutes)
            guard !cpu.isEmpty || !memory.isEmpty else { continue }
            profiles.append(UsageProfile.make(
                container: container, cpu: cpu, memory: memory, inventory: inventory[container],
                oomKills: ooms.filter { $0.container == container }.count, overProvisionedBelow: threshold,
                windowBuckets: Int(sinceSeconds / 300)))
        }
        return UsageReport(windowStart: windowStart, windowEnd: windowEnd, threshold: threshold, containers: profiles)
    }
}
