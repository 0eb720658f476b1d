import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory
import HeadroomRecommend
import HeadroomTesting
import Testing

/// Advice by shard, as replicas of `serve --replicas-shard` ask for it: shards held apart advise
/// every container once between them, each exactly as advice of the whole cluster does.
@Suite(.serialized) struct ShardSelectionTests {
    /// Two clusters' workloads (six), so several shards hold some.
    static let clusters = [SyntheticCluster(name: "east", scale: 1), SyntheticCluster(name: "west", scale: 1.6, seed: 11)]
    static let shards = 3

    static func json(_ advice: ContainerAdvice) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(advice), as: UTF8.self)
    }

    @Test("three shards advise each container once, and each advice equals the whole cluster's")
    func partition() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store(Self.clusters, in: directory, named: "shards.sqlite")
        for cluster in Self.clusters {
            let engine = Engine(store: store, cluster: cluster.name)
            let whole = try await engine.advise(AdviceOptions(), catalog: SyntheticCluster.catalog)
            var seen: [ContainerID: String] = [:]
            for shard in 0..<Self.shards {
                var options = AdviceOptions()
                options.shard = ShardSelection(shards: Self.shards, owned: [shard])
                let part = try await engine.advise(options, catalog: SyntheticCluster.catalog)
                for row in part.containers {
                    #expect(ShardMap.shard(of: row.container.workload, shards: Self.shards) == shard)
                    #expect(seen.updateValue(try Self.json(row.advice), forKey: row.container) == nil, "\(row.container) advised twice")
                }
            }
            #expect(Set(seen.keys) == Set(whole.containers.map(\.container)))
            for row in whole.containers { #expect(seen[row.container] == (try Self.json(row.advice)), "\(row.container)") }
        }
        // Six workloads over three shards: more than one shard holds some, so the split is real.
        let workloads = Set(try store.containers().map(\.workload))
        #expect(Set(workloads.map { ShardMap.shard(of: $0, shards: Self.shards) }).count > 1)
    }

    @Test("a shard's cached advice is kept when another shard's holder stores its own")
    func cacheKeepsOtherShards() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SyntheticCluster.store([Self.clusters[0]], in: directory, named: "cache.sqlite")
        let engine = Engine(store: store, cluster: "east")
        let containers = try store.containers(cluster: "east")
        let shardOf = Dictionary(uniqueKeysWithValues: containers.map { ($0, ShardMap.shard(of: $0.workload, shards: Self.shards)) })
        for shard in 0..<Self.shards {
            var options = AdviceOptions()
            options.reuse = AdviceReuse(maxAgeSeconds: 6 * 3_600)
            options.shard = ShardSelection(shards: Self.shards, owned: [shard])
            _ = try await engine.advise(options, catalog: SyntheticCluster.catalog)
            // Every shard advised so far still has its advice cached.
            let cached = Set(try store.cachedAdvice(cluster: "east").keys)
            #expect(cached == Set(containers.filter { shardOf[$0]! <= shard }), "after shard \(shard)")
        }
    }
}
