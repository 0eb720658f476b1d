import Foundation
import HeadroomCollect

/// How replicas of `headroom serve` share work through Kubernetes Leases.
public struct ShardLeaseConfiguration: Sendable {
    /// The namespace the Leases live in (the service's own).
    public var namespace: String
    /// Lease names: `PREFIX-shard-N`, `PREFIX-leader`, `PREFIX-member-IDENTITY`.
    public var prefix: String
    public var shards: Int
    /// This replica's name (its pod name), written as `holderIdentity`.
    public var identity: String
    /// How long a lease stays its holder's without renewal; ticks must come well within it
    /// (client-go's leader election uses 15 s, renewing every 2 s and giving up at 10 s).
    public var leaseDurationSeconds: Int

    public init(namespace: String, prefix: String = "headroom", shards: Int, identity: String, leaseDurationSeconds: Int = 15) {
        self.namespace = namespace
        self.prefix = prefix
        self.shards = max(1, shards)
        self.identity = identity
        self.leaseDurationSeconds = max(1, leaseDurationSeconds)
    }
}

/// What a replica holds after a tick.
public struct ShardOwnership: Sendable, Equatable {
    /// The shards this replica assesses until its next tick.
    public var shards: Set<Int>
    /// Whether this replica does the singleton duties (alert delivery, the weekly report).
    public var isLeader: Bool
    /// Live replicas seen, this one included: each takes at most ⌈shards ÷ members⌉.
    public var members: Int
}

/// One replica's side of the sharing. Each `tick` reads the namespace's Leases once, then:
/// 1. renews this replica's member Lease (how the others count live replicas);
/// 2. renews the shards it holds, up to its fair share ⌈shards ÷ live members⌉, and releases the
///    rest so that a replica that just joined can take them;
/// 3. takes free shards (never held, released, or not renewed for the lease duration by the
///    rule of `LeaseRule`) up to that share;
/// 4. takes or renews the leader Lease when it is free or its own.
/// Every write is a create or a replace carrying the `resourceVersion` read, so of two replicas
/// racing for one Lease the API server lets exactly one win (409 Conflict for the other).
/// Work must stop when a tick fails or its result is older than the lease duration.
public actor ShardLeases {
    public let configuration: ShardLeaseConfiguration
    let api: KubernetesAPI
    private var observations: [String: LeaseRule.Observation] = [:]

    public init(api: KubernetesAPI, configuration: ShardLeaseConfiguration) {
        self.api = api
        self.configuration = configuration
    }

    public var memberLeaseName: String { "\(configuration.prefix)-member-\(Self.dnsLabel(configuration.identity))" }
    public var leaderLeaseName: String { "\(configuration.prefix)-leader" }
    public func shardLeaseName(_ shard: Int) -> String { "\(configuration.prefix)-shard-\(shard)" }

    /// One round of renewals, releases and takes at `nowMillis` (this replica's clock).
    public func tick(nowMillis: Int64) async throws -> ShardOwnership {
        let leases = Dictionary(try await api.leases(namespace: configuration.namespace).map { ($0.metadata.name, $0) },
                                uniquingKeysWith: { first, _ in first })
        _ = try await claim(memberLeaseName, current: leases[memberLeaseName], nowMillis: nowMillis)

        var members = 1
        for (name, lease) in leases where name.hasPrefix("\(configuration.prefix)-member-") && name != memberLeaseName {
            if case .heldByOther = judge(name, lease, nowMillis: nowMillis) { members += 1 }
        }
        let share = (configuration.shards + members - 1) / members

        var mine: [Int] = [], free: [Int] = []
        for shard in 0..<configuration.shards {
            let name = shardLeaseName(shard)
            switch judge(name, leases[name], nowMillis: nowMillis) {
            case .ownedBySelf: mine.append(shard)
            case .free: free.append(shard)
            case .heldByOther: break
            }
        }
        var held = Set<Int>()
        for shard in mine {
            let name = shardLeaseName(shard)
            if held.count >= share {
                try await release(name, current: leases[name], nowMillis: nowMillis)
            } else if try await claim(name, current: leases[name], nowMillis: nowMillis) {
                held.insert(shard)
            }
        }
        for shard in free where held.count < share {
            let name = shardLeaseName(shard)
            if try await claim(name, current: leases[name], nowMillis: nowMillis) { held.insert(shard) }
        }

        var leader = false
        switch judge(leaderLeaseName, leases[leaderLeaseName], nowMillis: nowMillis) {
        case .ownedBySelf, .free: leader = try await claim(leaderLeaseName, current: leases[leaderLeaseName], nowMillis: nowMillis)
        case .heldByOther: break
        }
        return ShardOwnership(shards: held, isLeader: leader, members: members)
    }

    /// Gives back every Lease this replica holds (on SIGTERM), so the others take its shards at
    /// their next tick instead of after the lease duration.
    public func releaseAll(nowMillis: Int64) async throws {
        for lease in try await api.leases(namespace: configuration.namespace)
        where lease.spec.holder == configuration.identity && lease.metadata.name.hasPrefix("\(configuration.prefix)-") {
            try await release(lease.metadata.name, current: lease, nowMillis: nowMillis)
        }
    }

    private func judge(_ name: String, _ lease: LeaseObject?, nowMillis: Int64) -> LeaseRule.Verdict {
        let (verdict, observation) = LeaseRule.judge(lease, identity: configuration.identity, previous: observations[name], nowMillis: nowMillis,
                                                     defaultDurationSeconds: configuration.leaseDurationSeconds)
        observations[name] = observation
        return verdict
    }

    /// Takes or renews `name`; false when another replica wrote it first.
    private func claim(_ name: String, current: LeaseObject?, nowMillis: Int64) async throws -> Bool {
        let now = MicroTime(milliseconds: nowMillis)
        let write: LeaseWrite
        if var lease = current {
            if lease.spec.holder != configuration.identity {
                lease.spec.holderIdentity = configuration.identity
                lease.spec.acquireTime = now
                lease.spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1
            }
            lease.spec.renewTime = now
            lease.spec.leaseDurationSeconds = configuration.leaseDurationSeconds
            write = try await api.replaceLease(lease)
        } else {
            write = try await api.createLease(LeaseObject(
                metadata: .init(name: name, namespace: configuration.namespace, labels: ["app.kubernetes.io/name": "headroom"]),
                spec: .init(holderIdentity: configuration.identity, leaseDurationSeconds: configuration.leaseDurationSeconds,
                            acquireTime: now, renewTime: now, leaseTransitions: 0)))
        }
        switch write {
        case .stored(let stored):
            observations[name] = LeaseRule.Observation(holder: stored.spec.holder, renewTime: stored.spec.renewTime,
                                                       resourceVersion: stored.metadata.resourceVersion, observedAtMillis: nowMillis)
            return stored.spec.holder == configuration.identity
        case .conflict:
            observations[name] = nil
            return false
        }
    }

    /// Empties the holder of `name` (client-go's release), unless someone else wrote it first.
    private func release(_ name: String, current: LeaseObject?, nowMillis: Int64) async throws {
        guard var lease = current, lease.spec.holder == configuration.identity else { return }
        lease.spec.holderIdentity = ""
        lease.spec.renewTime = MicroTime(milliseconds: nowMillis)
        _ = try await api.replaceLease(lease)
        observations[name] = nil
    }

    /// `identity` as a DNS label for a Lease name: lower case, `[a-z0-9-]`, at most 63 characters.
    static func dnsLabel(_ identity: String) -> String {
        let mapped = identity.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        let label = String(String(mapped).trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(63))
        return label.isEmpty ? "replica" : label
    }
}
