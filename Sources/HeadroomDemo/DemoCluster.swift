import HeadroomCore

/// The TerraFusionProfessional platform: production (3 zones; node pools frontend, backend and
/// data), staging and development, each running the web frontend, API gateway, user service,
/// payment processor, PostgreSQL (primary and read replicas) and a 3-node Redis.
///
/// Declared sizes follow the plan (`fixtures/terrafusion/plan.yaml`); behaviour is chosen so the
/// history holds what Headroom must find: over-provisioned requests (user service, Redis,
/// PostgreSQL replicas' CPU, the frontend's memory, most of staging), a memory leak in the
/// production payment processor that ends in OOM kills, and a development workload (the user
/// service) idle for the last week.
public enum DemoCluster {
    public static let clusterName = "terrafusion"
    public static let productionZones = ["us-east-1a", "us-east-1b", "us-east-1c"]
    public static let environments = ["production", "staging", "development"]

    private static let mi = 1_048_576.0
    private static let gi = 1_073_741_824.0

    public static let workloads: [DemoWorkloadSpec] = environments.flatMap(workloads(in:))

    static func workloads(in environment: String) -> [DemoWorkloadSpec] {
        let production = environment == "production"
        let staging = environment == "staging"
        // Load relative to production, and replica ranges per environment.
        let load = production ? 1.0 : (staging ? 0.18 : 0.08)
        func replicas(_ prod: ClosedRange<Int>, _ stage: ClosedRange<Int>) -> ClosedRange<Int> {
            production ? prod : (staging ? stage : 1...1)
        }
        func pool(_ productionPool: String) -> String {
            production ? productionPool : "\(environment)-general"
        }
        func spec(
            _ kind: WorkloadKind, _ name: String, _ container: String, _ replicaRange: ClosedRange<Int>, hpa: Int?,
            request: (Int64, Double), limit: (Int64, Double), pool productionPool: String, volume: MemoryQuantity? = nil,
            idleCPU: Double, peakCPU: Double, baseMemory: Double, peakMemory: Double, anomaly: DemoWorkloadSpec.Anomaly? = nil
        ) -> DemoWorkloadSpec {
            DemoWorkloadSpec(
                environment: environment, kind: kind, name: name, container: container,
                minReplicas: replicaRange.lowerBound, maxReplicas: replicaRange.upperBound,
                hpaTargetCPUPercent: replicaRange.count > 1 ? hpa : nil,
                request: ResourceAmounts(cpu: CPUQuantity(millicores: request.0), memory: MemoryQuantity(bytes: Int64(request.1))),
                limit: ResourceAmounts(cpu: CPUQuantity(millicores: limit.0), memory: MemoryQuantity(bytes: Int64(limit.1))),
                nodePool: pool(productionPool), volume: volume,
                idleCPUMillicores: idleCPU * (production ? 1 : 0.6), peakCPUMillicores: peakCPU * load,
                baseMemoryBytes: baseMemory, peakExtraMemoryBytes: peakMemory * load,
                growth: production ? 0.15 : 0.05, anomaly: anomaly)
        }
        return [
            // Memory over-provisioned: a static bundle server uses a fraction of its 512Mi.
            spec(.deployment, "web-frontend", "web", replicas(2...4, 1...2), hpa: 70,
                 request: (250, 512 * mi), limit: (500, 1 * gi), pool: "frontend",
                 idleCPU: 15, peakCPU: 520, baseMemory: 90 * mi, peakMemory: 60 * mi),
            // Sized about right: the busiest service, scaled by its HPA.
            spec(.deployment, "api-gateway", "gateway", replicas(3...5, 1...2), hpa: 65,
                 request: (500, 1 * gi), limit: (1000, 1 * gi), pool: "backend",
                 idleCPU: 40, peakCPU: 1_650, baseMemory: 420 * mi, peakMemory: 260 * mi),
            // CPU over-provisioned everywhere; idle for the last week in development.
            spec(.deployment, "user-service", "user-service", replicas(2...3, 1...1), hpa: 75,
                 request: (250, 512 * mi), limit: (500, 512 * mi), pool: "backend",
                 idleCPU: 8, peakCPU: 110, baseMemory: 180 * mi, peakMemory: 40 * mi,
                 anomaly: environment == "development" ? .idleForLastDays(7) : nil),
            // Leaks memory in production from day 14 until the 512Mi limit kills it.
            spec(.deployment, "payment-processor", "payment", replicas(2...3, 1...1), hpa: 70,
                 request: (250, 512 * mi), limit: (500, 512 * mi), pool: "backend",
                 idleCPU: 12, peakCPU: 330, baseMemory: 260 * mi, peakMemory: 50 * mi,
                 anomaly: production ? .memoryLeak(startDay: 14, bytesPerHour: 7 * mi) : nil),
            spec(.statefulSet, "postgres-primary", "postgres", 1...1, hpa: nil,
                 request: (2000, 4 * gi), limit: (2000, 4 * gi), pool: "data", volume: MemoryQuantity(bytes: 50 << 30),
                 idleCPU: 60, peakCPU: 1_350, baseMemory: 2.6 * gi, peakMemory: 0.7 * gi),
            // Read replicas: CPU over-provisioned (they serve a small share of reads).
            spec(.statefulSet, "postgres-replica", "postgres", production ? 2...2 : (staging ? 1...1 : 0...0), hpa: nil,
                 request: (2000, 4 * gi), limit: (2000, 4 * gi), pool: "data", volume: MemoryQuantity(bytes: 50 << 30),
                 idleCPU: 30, peakCPU: 520, baseMemory: 2.2 * gi, peakMemory: 0.5 * gi),
            // Over-provisioned: a cache using a third of its 2Gi and little CPU.
            spec(.statefulSet, "redis", "redis", production ? 3...3 : (staging ? 3...3 : 1...1), hpa: nil,
                 request: (500, 2 * gi), limit: (500, 2 * gi), pool: "data",
                 idleCPU: 10, peakCPU: 210, baseMemory: 520 * mi, peakMemory: 140 * mi),
        ].filter { $0.maxReplicas > 0 }
    }
}
