import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomRecommend

/// The manifests a reviewer applies by hand, per workload: an autoscaling/v2
/// HorizontalPodAutoscaler where there is HPA advice, an autoscaling.k8s.io/v1
/// VerticalPodAutoscaler in updateMode "Off" carrying the recommendation (a CPU HPA keeps CPU, so
/// the VPA then controls memory only), and a strategic-merge patch of requests and limits
/// (`kubectl patch KIND NAME -n NS --type strategic --patch-file FILE`). The evidence (replayed
/// risk, cost) rides along as `advice.headroom.io/*` annotations on the HPA and VPA.
public enum WorkloadManifests {
    static func metadata(_ workload: WorkloadID, annotations: [(String, String)] = []) -> YAMLTree {
        var entries: [(String, YAMLTree)] = [("name", .string(workload.name)), ("namespace", .string(workload.namespace))]
        if !annotations.isEmpty { entries.append(("annotations", .map(annotations.map { ($0.0, .string($0.1)) }))) }
        return .map(entries)
    }

    static func targetRef(_ workload: WorkloadID) -> YAMLTree {
        .map([("apiVersion", .string("apps/v1")), ("kind", .string(workload.kind.rawValue)), ("name", .string(workload.name))])
    }

    static func resources(_ amounts: ResourceAmounts, only: Set<String> = ["cpu", "memory"]) -> YAMLTree {
        var entries: [(String, YAMLTree)] = []
        if let cpu = amounts.cpu, only.contains("cpu") { entries.append(("cpu", .string(cpu.canonical))) }
        if let memory = amounts.memory, only.contains("memory") { entries.append(("memory", .string(memory.canonical))) }
        return .map(entries)
    }

    /// The HPA for a workload's HPA advice.
    public static func horizontalPodAutoscaler(_ workload: WorkloadID, _ hpa: HPAAdvice) -> YAMLTree {
        let outcome = hpa.recommendedOutcome
        var evidence = String(format: "recommended: %.2f%% of syncs saturated, %.0f replica-hours, %.0f shortfall minutes",
                              outcome.saturatedFraction * 100, outcome.replicaHours, outcome.shortfallMinutes)
        if let before = hpa.currentOutcome {
            evidence += String(format: "; current: %.2f%%, %.0f replica-hours, %.0f shortfall minutes",
                               before.saturatedFraction * 100, before.replicaHours, before.shortfallMinutes)
        }
        var annotations = [("advice.headroom.io/reason", hpa.reason), ("advice.headroom.io/replay", evidence)]
        if !hpa.predictiveSummary.isEmpty {
            annotations.append(("advice.headroom.io/predictive-min-replicas-utc", hpa.predictiveSummary.joined(separator: "; ")))
        }
        return .map([
            ("apiVersion", .string("autoscaling/v2")),
            ("kind", .string("HorizontalPodAutoscaler")),
            ("metadata", metadata(workload, annotations: annotations)),
            ("spec", .map([
                ("scaleTargetRef", targetRef(workload)),
                ("minReplicas", .integer(hpa.recommended.minReplicas)),
                ("maxReplicas", .integer(hpa.recommended.maxReplicas)),
                ("metrics", .list([.map([
                    ("type", .string("Resource")),
                    ("resource", .map([
                        ("name", .string("cpu")),
                        ("target", .map([("type", .string("Utilization")),
                                         ("averageUtilization", .integer(Int((hpa.recommended.targetUtilization * 100).rounded())))])),
                    ])),
                ])])),
            ])),
        ])
    }

    /// The VPA (updateMode "Off") carrying the recommendation for the workload's containers.
    public static func verticalPodAutoscaler(_ workload: WorkloadID, _ rows: [PricedContainerAdvice]) -> YAMLTree {
        var policies: [YAMLTree] = []
        var recommendations: [YAMLTree] = []
        for row in rows.sorted(by: { $0.container.container < $1.container.container }) {
            // Under a CPU HPA the VPA must not move CPU: the two would fight over the same signal.
            let controlled: Set<String> = row.advice.cpuScaledByHPA ? ["memory"] : ["cpu", "memory"]
            policies.append(.map([
                ("containerName", .string(row.container.container)),
                ("mode", .string("Auto")),
                ("controlledResources", .list(controlled.sorted().map { .string($0) })),
                ("controlledValues", .string("RequestsAndLimits")),
            ]))
            var recommendation: [(String, YAMLTree)] = [
                ("containerName", .string(row.container.container)),
                ("target", resources(row.advice.recommended.requests, only: controlled)),
            ]
            if let bounds = row.advice.vpaBounds {
                recommendation.append(("lowerBound", resources(bounds.lower, only: controlled)))
                recommendation.append(("upperBound", resources(bounds.upper, only: controlled)))
            }
            recommendation.append(("uncappedTarget", resources(row.advice.recommended.requests, only: controlled)))
            recommendations.append(.map(recommendation))
        }
        let (before, after) = rows.monthlyTotals
        let risk = ReplayedRiskTotals(rows.map(\.advice))
        return .map([
            ("apiVersion", .string("autoscaling.k8s.io/v1")),
            ("kind", .string("VerticalPodAutoscaler")),
            ("metadata", metadata(workload, annotations: [
                ("advice.headroom.io/monthly-cost", "\(Money.dollars(before)) → \(Money.dollars(after))"),
                ("advice.headroom.io/replayed-risk", "OOM buckets \(risk.currentOOMBuckets) → \(risk.recommendedOOMBuckets); CPU pressure minutes \(risk.currentCPUPressureMinutes) → \(risk.recommendedCPUPressureMinutes)"),
                ("advice.headroom.io/models", Array(Set(rows.flatMap(\.advice.models))).sorted().joined(separator: ", ")),
            ])),
            ("spec", .map([
                ("targetRef", targetRef(workload)),
                ("updatePolicy", .map([("updateMode", .string("Off"))])),
                ("resourcePolicy", .map([("containerPolicies", .list(policies))])),
            ])),
            ("status", .map([("recommendation", .map([("containerRecommendations", .list(recommendations))]))])),
        ])
    }

    /// The strategic-merge patch setting each container's recommended requests and limits (a
    /// limit the recommendation drops is deleted with null).
    public static func patch(_ workload: WorkloadID, _ rows: [ContainerAdvice]) -> YAMLTree {
        let containers: [YAMLTree] = rows.sorted(by: { $0.container.container < $1.container.container }).map { row in
            var limits: [(String, YAMLTree)] = []
            if let cpu = row.recommended.limits.cpu { limits.append(("cpu", .string(cpu.canonical))) }
            else if row.current.limits.cpu != nil { limits.append(("cpu", .null)) }  // null deletes the CPU limit
            if let memory = row.recommended.limits.memory { limits.append(("memory", .string(memory.canonical))) }
            else if row.current.limits.memory != nil { limits.append(("memory", .null)) }
            var resources: [(String, YAMLTree)] = [("requests", Self.resources(row.recommended.requests))]
            if !limits.isEmpty { resources.append(("limits", .map(limits))) }
            return .map([("name", .string(row.container.container)), ("resources", .map(resources))])
        }
        return .map([
            ("apiVersion", .string("apps/v1")),
            ("kind", .string(workload.kind.rawValue)),
            ("metadata", metadata(workload)),
            ("spec", .map([("template", .map([("spec", .map([("containers", .list(containers))]))]))])),
        ])
    }
}
