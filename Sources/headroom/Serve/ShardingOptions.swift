import ArgumentParser
import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomService
import Logging

/// `serve --replicas-shard`: several replicas share one PostgreSQL store and split the workloads
/// by shard, each shard owned through a `coordination.k8s.io/v1` Lease.
struct ShardingOptions: ParsableArguments {
    @Flag(help: "Share the work with other replicas: each assesses the workloads of the shards whose Leases it holds; one leader delivers alerts and the weekly report; VPA statuses are written by their shard's holder. Needs a PostgreSQL --db and --kubeconfig or --in-cluster.")
    var replicasShard = false
    @Option(help: "Shards the workloads are split into (the same on every replica).") var shards = 16
    @Option(help: ArgumentHelp("Namespace of the Leases. Default: $POD_NAMESPACE, else default.", valueName: "namespace")) var leaseNamespace: String?
    @Option(help: ArgumentHelp("This replica's name in the Leases. Default: $POD_NAME, else the host name.", valueName: "name")) var replicaIdentity: String?
    @Option(help: "How long a Lease stays its holder's without renewal; renewed every third of it.") var leaseDuration = "15s"

    func check(postgres: Bool, kubernetes: Bool) throws {
        guard replicasShard else { return }
        guard (1...4096).contains(shards) else { throw ValidationError("--shards must be from 1 to 4096") }
        guard postgres else { throw ValidationError("--replicas-shard needs a PostgreSQL --db: the replicas share one store") }
        guard kubernetes else { throw ValidationError("--replicas-shard needs --kubeconfig or --in-cluster: the shards are held through Leases") }
        _ = try leaseSeconds()
    }

    func leaseSeconds() throws -> Int {
        let seconds: Int64
        do { seconds = try DurationParser.seconds(leaseDuration) } catch { throw ValidationError("--lease-duration: \(error.description)") }
        guard seconds >= 3 else { throw ValidationError("--lease-duration must be at least 3s") }
        return Int(seconds)
    }

    /// The coordinator of this replica, nil without --replicas-shard.
    func coordinator(api: KubernetesAPI?, state: ServeState, logger: Logger) throws -> ShardCoordinator? {
        guard replicasShard, let api else { return nil }
        let environment = ProcessInfo.processInfo.environment
        let configuration = ShardLeaseConfiguration(
            namespace: leaseNamespace ?? environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            shards: shards, identity: replicaIdentity ?? environment["POD_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName,
            leaseDurationSeconds: try leaseSeconds())
        return ShardCoordinator(leases: ShardLeases(api: api, configuration: configuration), state: state,
                                interval: .seconds(max(1, configuration.leaseDurationSeconds / 3)), logger: logger)
    }
}
