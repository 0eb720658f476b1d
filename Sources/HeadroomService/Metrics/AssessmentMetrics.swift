import HeadroomCore
import HeadroomEngine
import HeadroomRecommend

/// The Assessment as Prometheus series, rendered once per published cycle and served by
/// `/metrics` as is: what a dashboard or an alert rule reads. Recommendation series are named
/// like kube-state-metrics' VPA ones (`..._target`, `..._lower_bound`, `..._upper_bound` with
/// `resource` and `unit` labels; CPU in cores, memory in bytes) so existing dashboards carry
/// over. The series are rebuilt whole from each Assessment, so a workload that is gone from the
/// cluster is gone from the next scrape.
public enum AssessmentMetrics {
    /// Text exposition of every series of `assessment`.
    public static func render(_ assessment: Assessment) -> [UInt8] {
        var writer = ExpositionWriter(reservingCapacity: 256 + assessment.containers.count * 2_400)
        let containers = assessment.containers

        writer.family("headroom_assessment_generated_timestamp_seconds", type: "gauge",
                      help: "Unix time the published assessment was computed at.")
        writer.sample("headroom_assessment_generated_timestamp_seconds", ["cluster": assessment.metadata.cluster], Double(assessment.metadata.generatedAt))

        writeResources(&writer, "headroom_recommendation_target", containers,
                       help: "Recommended request per container (CPU in cores, memory in bytes), as a VPA recommendation's target.") {
            $0.recommended.requests
        }
        writeResources(&writer, "headroom_recommendation_lower_bound", containers,
                       help: "Lower bound of the recommendation (strategy vpa; absent under strategies without bounds).") {
            $0.vpaBounds?.lower
        }
        writeResources(&writer, "headroom_recommendation_upper_bound", containers,
                       help: "Upper bound of the recommendation (strategy vpa; absent under strategies without bounds).") {
            $0.vpaBounds?.upper
        }
        writeForecast(&writer, "headroom_forecast_p50", containers, help: "Highest 5-minute value of the median forecast over the next hour, per pod.") { $0.p50 }
        writeForecast(&writer, "headroom_forecast_p90", containers, help: "Highest 5-minute value of the p90 forecast over the next hour, per pod.") { $0.p90 }

        let hpas = assessment.workloads
        for (name, help, value) in [
            ("headroom_hpa_recommended_min_replicas", "Recommended HPA minReplicas.", { (advice: WorkloadAssessment) in Double(advice.hpa.recommended.minReplicas) }),
            ("headroom_hpa_recommended_max_replicas", "Recommended HPA maxReplicas.", { Double($0.hpa.recommended.maxReplicas) }),
            ("headroom_hpa_recommended_target_utilization", "Recommended HPA CPU target, percent of the request (averageUtilization).",
             { ($0.hpa.recommended.targetUtilization * 100).rounded() }),
        ] as [(String, String, (WorkloadAssessment) -> Double)] where !hpas.isEmpty {
            writer.family(name, type: "gauge", help: help)
            for advice in hpas {
                let id = advice.workload
                writer.sample(name, ["namespace": id.namespace, "kind": id.kind.rawValue, "workload": id.name], value(advice))
            }
        }

        let costs = workloadCosts(containers)
        if !costs.isEmpty {
            let name = "headroom_monthly_cost_dollars"
            writer.family(name, type: "gauge", help: "Monthly cost of a workload's requests at its replicas: current, and recommended.")
            for cost in costs {
                let id = cost.workload
                writer.sample(name, ["namespace": id.namespace, "kind": id.kind.rawValue, "workload": id.name, "state": "current"], dollars(cost.current))
                writer.sample(name, ["namespace": id.namespace, "kind": id.kind.rawValue, "workload": id.name, "state": "recommended"], dollars(cost.recommended))
            }
        }

        let budgets = (assessment.budgets?.budgets ?? []).filter { $0.monthlyMicrodollars > 0 }
        if !budgets.isEmpty {
            writer.family("headroom_budget_used_ratio", type: "gauge", help: "Month-to-date spend over the monthly budget.")
            for budget in budgets {
                writer.sample("headroom_budget_used_ratio", ["budget": budget.budget],
                              Double(budget.projection.monthToDate) / Double(budget.monthlyMicrodollars))
            }
            writer.family("headroom_budget_projected_ratio", type: "gauge", help: "Projected month-end spend (P50) over the monthly budget.")
            for budget in budgets {
                writer.sample("headroom_budget_projected_ratio", ["budget": budget.budget],
                              Double(budget.projection.p50) / Double(budget.monthlyMicrodollars))
            }
            writer.family("headroom_budget_projected_p90_ratio", type: "gauge", help: "Projected month-end spend (P90) over the monthly budget.")
            for budget in budgets {
                writer.sample("headroom_budget_projected_p90_ratio", ["budget": budget.budget],
                              Double(budget.projection.p90) / Double(budget.monthlyMicrodollars))
            }
        }
        return writer.bytes
    }

    /// A family with one CPU and one memory sample per container that has the amount.
    private static func writeResources(_ writer: inout ExpositionWriter, _ name: String, _ containers: [ContainerAssessment], help: String,
                                       _ amounts: (ContainerAssessment) -> ResourceAmounts?) {
        guard containers.contains(where: { amounts($0) != nil }) else { return }
        writer.family(name, type: "gauge", help: help)
        for row in containers {
            guard let amount = amounts(row) else { continue }
            if let cpu = amount.cpu { writer.sample(name, labels(row.container, resource: "cpu", unit: "core"), cpu.cores) }
            if let memory = amount.memory { writer.sample(name, labels(row.container, resource: "memory", unit: "byte"), Double(memory.bytes)) }
        }
    }

    private static func writeForecast(_ writer: inout ExpositionWriter, _ name: String, _ containers: [ContainerAssessment], help: String,
                                      _ value: (SizingEvidence.NextHour) -> Double) {
        guard containers.contains(where: { $0.forecast?.cpu.nextHour != nil || $0.forecast?.memory.nextHour != nil }) else { return }
        writer.family(name, type: "gauge", help: help)
        for row in containers {
            if let cpu = row.forecast?.cpu.nextHour { writer.sample(name, labels(row.container, resource: "cpu", unit: "core"), value(cpu) / 1000) }
            if let memory = row.forecast?.memory.nextHour { writer.sample(name, labels(row.container, resource: "memory", unit: "byte"), value(memory)) }
        }
    }

    private static func labels(_ id: ContainerID, resource: String, unit: String) -> KeyValuePairs<String, String> {
        ["namespace": id.workload.namespace, "kind": id.workload.kind.rawValue, "workload": id.workload.name, "container": id.container,
         "resource": resource, "unit": unit]
    }

    /// Current and recommended monthly cost per workload, in the order workloads first appear.
    private static func workloadCosts(_ containers: [ContainerAssessment]) -> [(workload: WorkloadID, current: Int64, recommended: Int64)] {
        var order: [WorkloadID] = []
        var sums: [WorkloadID: (current: Int64, recommended: Int64)] = [:]
        for row in containers {
            let id = row.container.workload
            if sums[id] == nil { order.append(id) }
            let sum = sums[id, default: (0, 0)]
            sums[id] = (sum.current.saturatingAdd(row.current.monthlyMicrodollars), sum.recommended.saturatingAdd(row.recommended.monthlyMicrodollars))
        }
        return order.map { ($0, sums[$0]!.current, sums[$0]!.recommended) }
    }

    private static func dollars(_ microdollars: Int64) -> Double { Double(microdollars) / 1_000_000 }
}
