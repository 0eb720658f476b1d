import HeadroomCore

/// How one workload of the demo cluster is declared and how it behaves.
public struct DemoWorkloadSpec: Sendable, Hashable {
    /// Something unusual the generator writes into a workload's history.
    public enum Anomaly: Sendable, Hashable {
        /// Memory grows by `bytesPerHour` per pod from `startDay` on until the limit kills it.
        case memoryLeak(startDay: Int, bytesPerHour: Double)
        /// Usage drops to near zero for the last `days` days (nobody uses it any more).
        case idleForLastDays(Int)
    }

    public var environment: String
    public var kind: WorkloadKind
    public var name: String
    public var container: String
    public var minReplicas: Int
    public var maxReplicas: Int
    /// HPA target CPU utilization (percent of request) when the workload autoscales.
    public var hpaTargetCPUPercent: Int?
    public var request: ResourceAmounts
    public var limit: ResourceAmounts
    public var nodePool: String
    /// Persistent volume per replica, if any (PostgreSQL's 50Gi SSD).
    public var volume: MemoryQuantity?
    /// CPU per pod at zero load, millicores.
    public var idleCPUMillicores: Double
    /// CPU of the whole workload at peak load (before growth), millicores, spread over its pods.
    public var peakCPUMillicores: Double
    /// Memory per pod at zero load and the extra at peak load, bytes.
    public var baseMemoryBytes: Double
    public var peakExtraMemoryBytes: Double
    /// Relative growth of load over the whole history (0.15 = +15 %).
    public var growth: Double
    public var anomaly: Anomaly?

    /// The owning team, as the `team` label (for cost grouping and label budgets).
    public var team: String {
        switch name {
        case "web-frontend": "web"
        case "api-gateway": "platform"
        case "user-service": "accounts"
        case "payment-processor": "payments"
        default: "data"
        }
    }

    public var workloadID: WorkloadID {
        WorkloadID(cluster: DemoCluster.clusterName, namespace: environment, kind: kind, name: name)
    }
}
