extension DemoCluster {
    /// A larger cluster of the same shapes for benchmarks and tests at scale: `count` workloads
    /// cycling through the demo's twenty (so its seasonality, bursts, the leak and the idle
    /// workload recur), copies named `NAME-2`, `NAME-3`…, each run by `podsPerWorkload` pods at
    /// peak. Load scales with the pods, so per-pod usage keeps the demo's proportions.
    public static func scaled(workloads count: Int, podsPerWorkload pods: Int) -> [DemoWorkloadSpec] {
        precondition(count > 0 && pods > 0, "a scaled cluster needs workloads and pods")
        return (0..<count).map { index in
            var spec = workloads[index % workloads.count]
            let copy = index / workloads.count
            if copy > 0 { spec.name += "-\(copy + 1)" }
            // An HPA workload peaks at its maximum; the others run their minimum all the time.
            let base = spec.hpaTargetCPUPercent == nil ? spec.minReplicas : spec.maxReplicas
            spec.peakCPUMillicores *= Double(pods) / Double(max(1, base))
            if spec.hpaTargetCPUPercent == nil {
                spec.minReplicas = pods
                spec.maxReplicas = pods
            } else {
                spec.minReplicas = max(1, spec.minReplicas * pods / max(1, spec.maxReplicas))
                spec.maxReplicas = pods
            }
            return spec
        }
    }
}
