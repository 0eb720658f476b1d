import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomService
import HeadroomTesting
import Testing

/// Replicas sharing shards through Leases on the loopback Lease API (the Kubernetes API cannot
/// run here; `LoopbackLeaseAPI` keeps its create/replace/conflict semantics). Time is passed in:
/// one tick every 2 s of a 15 s lease, as client-go's defaults.
struct ShardLeasesTests {
    static let start: Int64 = 1_800_000_000_000
    let namespace = "headroom"

    func replicas(_ names: [String], shards: Int = 8, on server: LoopbackLeaseAPI) -> [ShardLeases] {
        names.map {
            ShardLeases(api: KubernetesAPI(connection: KubernetesConnection(server: server.url)),
                        configuration: ShardLeaseConfiguration(namespace: namespace, shards: shards, identity: $0))
        }
    }

    /// Ticks every replica in turn, `rounds` times, 2 s apart; the last round's ownerships.
    func run(_ replicas: [ShardLeases], rounds: Int, from start: Int64) async throws -> (ownerships: [ShardOwnership], now: Int64) {
        var now = start
        var last: [ShardOwnership] = []
        for _ in 0..<rounds {
            last = []
            for replica in replicas { last.append(try await replica.tick(nowMillis: now)) }
            now += 2_000
        }
        return (last, now)
    }

    func shardHolders(_ server: LoopbackLeaseAPI, shards: Int = 8) -> [String] {
        let holders = server.holders(namespace: namespace)
        return (0..<shards).map { holders["headroom-shard-\($0)"] ?? "" }
    }

    func expectPartition(_ ownerships: [ShardOwnership], shards: Int = 8) {
        var seen: [Int: Int] = [:]
        for ownership in ownerships { for shard in ownership.shards { seen[shard, default: 0] += 1 } }
        #expect(seen.count == shards, "every shard held")
        #expect(seen.values.allSatisfy { $0 == 1 }, "no shard held twice: \(seen)")
        #expect(ownerships.filter(\.isLeader).count == 1, "one leader")
    }

    @Test func twoReplicasSplitEightShardsFourAndFour() async throws {
        let server = try LoopbackLeaseAPI()
        let pair = replicas(["headroom-0", "headroom-1"], on: server)
        let (ownerships, _) = try await run(pair, rounds: 3, from: Self.start)
        expectPartition(ownerships)
        #expect(ownerships.map(\.shards.count) == [4, 4])
        #expect(ownerships.map(\.members) == [2, 2])
        // The server's records say the same as the replicas.
        let holders = shardHolders(server)
        for (index, ownership) in ownerships.enumerated() {
            #expect(Set(holders.indices.filter { holders[$0] == "headroom-\(index)" }) == ownership.shards)
        }
    }

    @Test func threeReplicasTakeAtMostTheirShare() async throws {
        let server = try LoopbackLeaseAPI()
        let (ownerships, _) = try await run(replicas(["a", "b", "c"], on: server), rounds: 4, from: Self.start)
        expectPartition(ownerships)
        #expect(ownerships.map(\.shards.count).sorted() == [2, 3, 3])
    }

    /// Every workload is assessed by exactly one replica: the shards they hold cover the map once.
    @Test func workloadsAreAssessedExactlyOnce() async throws {
        let server = try LoopbackLeaseAPI()
        let (ownerships, _) = try await run(replicas(["a", "b", "c"], on: server), rounds: 4, from: Self.start)
        let workloads = (0..<1_000).map { WorkloadID(cluster: "prod", namespace: "ns\($0 % 7)", kind: .deployment, name: "w\($0)") }
        let assigned = ownerships.flatMap { ShardMap.owned(workloads, shards: 8, owned: $0.shards) }
        #expect(assigned.count == workloads.count)
        #expect(Set(assigned) == Set(workloads))
    }

    /// A replica that stops (killed, no release) keeps its shards until the others have seen its
    /// Leases unrenewed for the lease duration; then they are taken within one more tick.
    @Test func aKilledReplicasShardsAreTakenOverWithinTheLeaseDuration() async throws {
        let server = try LoopbackLeaseAPI()
        let pair = replicas(["headroom-0", "headroom-1"], on: server)
        var (ownerships, now) = try await run(pair, rounds: 3, from: Self.start)
        let lostShards = ownerships[1].shards
        let killedAt = now   // headroom-1's last tick was at now - 2 s
        var tookOverAt: Int64?
        while now < killedAt + 30_000 {
            let ownership = try await pair[0].tick(nowMillis: now)
            let holders = shardHolders(server)
            if now < killedAt + 13_000 {
                #expect(lostShards.allSatisfy { holders[$0] == "headroom-1" }, "taken at \(now - killedAt) ms, before the lease ran out")
            }
            if ownership.shards.count == 8, tookOverAt == nil {
                tookOverAt = now
                #expect(ownership.isLeader)
                #expect(ownership.members == 1)
            }
            now += 2_000
        }
        // The lease duration after the last renewal was seen, which is at most one tick after it
        // happened, acted on at the first tick after that.
        let delay = try #require(tookOverAt) - (killedAt - 2_000)
        #expect(delay <= 15_000 + 2 * 2_000, "taken over \(delay) ms after the last renewal")
        #expect(shardHolders(server).allSatisfy { $0 == "headroom-0" })
    }

    @Test func releasedShardsAreTakenAtTheNextTick() async throws {
        let server = try LoopbackLeaseAPI()
        let pair = replicas(["headroom-0", "headroom-1"], on: server)
        let (_, now) = try await run(pair, rounds: 3, from: Self.start)
        try await pair[1].releaseAll(nowMillis: now)
        #expect(shardHolders(server).filter { $0 == "headroom-1" }.isEmpty)
        // Its member Lease is released too, so headroom-0 counts itself alone and takes all 8 at once.
        let ownership = try await pair[0].tick(nowMillis: now + 2_000)
        #expect(ownership.shards.count == 8)
        #expect(ownership.members == 1)
    }

    @Test func aNewReplicaGetsItsShareFromTheOneHoldingAll() async throws {
        let server = try LoopbackLeaseAPI()
        let all = replicas(["headroom-0", "headroom-1"], on: server)
        var (ownerships, now) = try await run([all[0]], rounds: 2, from: Self.start)
        #expect(ownerships[0].shards.count == 8)
        (ownerships, now) = try await run(all, rounds: 3, from: now)
        expectPartition(ownerships)
        #expect(ownerships.map(\.shards.count) == [4, 4])
        let transitions = server.writes.filter { $0.name.hasPrefix("headroom-shard-") && $0.holder == "headroom-1" && $0.method == "PUT" }
        #expect(Set(transitions.map(\.name)).count == 4)
    }

    /// Two replicas writing one Lease from the same version: the API server takes one.
    @Test func aReplaceFromAStaleVersionConflicts() async throws {
        let server = try LoopbackLeaseAPI()
        let api = KubernetesAPI(connection: KubernetesConnection(server: server.url))
        let lease = LeaseObject(metadata: .init(name: "headroom-shard-3", namespace: namespace),
                                spec: .init(holderIdentity: "a", leaseDurationSeconds: 15))
        guard case .stored(let stored) = try await api.createLease(lease) else { Issue.record("create refused"); return }
        #expect(try await api.createLease(lease) == .conflict)
        var first = stored, second = stored
        first.spec.holderIdentity = "b"
        second.spec.holderIdentity = "c"
        guard case .stored(let written) = try await api.replaceLease(first) else { Issue.record("first replace refused"); return }
        #expect(written.metadata.resourceVersion != stored.metadata.resourceVersion)
        #expect(try await api.replaceLease(second) == .conflict)
        #expect(server.holders(namespace: namespace)["headroom-shard-3"] == "b")
    }

    @Test func aRefusedWriteFailsTheTickAndTheNextOneRecovers() async throws {
        let server = try LoopbackLeaseAPI()
        let replica = replicas(["headroom-0"], on: server)[0]
        server.refuseWrites(1, status: 503)
        await #expect(throws: KubernetesError.self) { _ = try await replica.tick(nowMillis: Self.start) }
        let ownership = try await replica.tick(nowMillis: Self.start + 2_000)
        #expect(ownership.shards.count == 8)
        #expect(ownership.isLeader)
    }

    @Test func aForbiddenWriteSaysWhichPermissionIsMissing() async throws {
        let server = try LoopbackLeaseAPI()
        let replica = replicas(["headroom-0"], on: server)[0]
        server.refuseWrites(1, status: 403)
        do {
            _ = try await replica.tick(nowMillis: Self.start)
            Issue.record("a refused write must fail the tick")
        } catch let error as KubernetesError {
            #expect(error.message.contains("403"))
            #expect(error.message.contains("leases.coordination.k8s.io"))
        }
    }
}

struct ShardMapTests {
    @Test func shardsAreEven() {
        let workloads = (0..<10_000).map { WorkloadID(cluster: "prod", namespace: "ns\($0 % 20)", kind: .deployment, name: "w\($0)") }
        var counts = [Int](repeating: 0, count: 8)
        for workload in workloads { counts[ShardMap.shard(of: workload, shards: 8)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 1_250) < 190 }, "\(counts)")
        // The cluster is part of the key: the same workload in another cluster may sit elsewhere.
        let elsewhere = workloads.map { WorkloadID(cluster: "staging", namespace: $0.namespace, kind: $0.kind, name: $0.name) }
        #expect(zip(workloads, elsewhere).contains { ShardMap.shard(of: $0, shards: 8) != ShardMap.shard(of: $1, shards: 8) })
    }
}
