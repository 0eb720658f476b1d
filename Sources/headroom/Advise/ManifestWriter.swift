import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomRecommend

/// Writes, per workload, the manifests a reviewer applies by hand (`DIR/NAMESPACE/WORKLOAD.*.yaml`):
/// an autoscaling/v2 HorizontalPodAutoscaler where there is HPA advice, an autoscaling.k8s.io/v1
/// VerticalPodAutoscaler in updateMode "Off" carrying the recommendation (a CPU HPA keeps CPU,
/// so the VPA then controls memory only), and a strategic-merge patch of requests and limits
/// (`kubectl patch KIND NAME -n NS --type strategic --patch-file FILE`). The evidence (replayed
/// risk, cost) rides along as `advice.headroom.io/*` annotations on the HPA and VPA.
struct ManifestWriter {
    let directory: String

    /// Kinds with a pod template under spec.template (apps/v1).
    static let patchableKinds: Set<WorkloadKind> = [.deployment, .statefulSet, .daemonSet]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Writes every file and returns how many; workloads of other kinds are reported and skipped.
    func write(_ rows: [AdviceRow]) throws -> Int {
        let byWorkload = Dictionary(grouping: rows, by: \.container.workload)
        var written = 0
        for (workload, members) in byWorkload.sorted(by: { $0.key < $1.key }) {
            guard Self.patchableKinds.contains(workload.kind) else {
                printError("advise: no manifests for \(workload) (only Deployments, StatefulSets and DaemonSets are patched)")
                continue
            }
            let folder = URL(fileURLWithPath: directory).appendingPathComponent(workload.namespace)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                var files = [("vpa", Self.verticalPodAutoscaler(workload, members)), ("patch", Self.patch(workload, members))]
                if let hpaRow = members.first(where: { $0.hpa != nil }) { files.append(("hpa", Self.horizontalPodAutoscaler(workload, hpaRow))) }
                for (suffix, tree) in files {
                    let file = folder.appendingPathComponent("\(workload.name).\(suffix).yaml")
                    // Written beside, then moved: a reader never sees half a manifest.
                    try Data(tree.render().utf8).write(to: file, options: .atomic)
                    written += 1
                }
            } catch {
                throw Failure(description: "cannot write manifests for \(workload) into \(folder.path): \(error.localizedDescription)")
            }
        }
        return written
    }

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

    static func horizontalPodAutoscaler(_ workload: WorkloadID, _ row: AdviceRow) -> YAMLTree {
        let hpa = row.hpa!
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

    static func verticalPodAutoscaler(_ workload: WorkloadID, _ rows: [AdviceRow]) -> YAMLTree {
        var policies: [YAMLTree] = []
        var recommendations: [YAMLTree] = []
        for row in rows.sorted(by: { $0.container.container < $1.container.container }) {
            // Under a CPU HPA the VPA must not move CPU: the two would fight over the same signal.
            let controlled: Set<String> = row.hpa != nil || row.notes.contains(where: { $0.hasPrefix("HPA scales on CPU") }) ? ["memory"] : ["cpu", "memory"]
            policies.append(.map([
                ("containerName", .string(row.container.container)),
                ("mode", .string("Auto")),
                ("controlledResources", .list(controlled.sorted().map { .string($0) })),
                ("controlledValues", .string("RequestsAndLimits")),
            ]))
            var recommendation: [(String, YAMLTree)] = [
                ("containerName", .string(row.container.container)),
                ("target", resources(row.recommended.requests, only: controlled)),
            ]
            if let bounds = row.vpaBounds {
                recommendation.append(("lowerBound", resources(bounds.lower, only: controlled)))
                recommendation.append(("upperBound", resources(bounds.upper, only: controlled)))
            }
            recommendation.append(("uncappedTarget", resources(row.recommended.requests, only: controlled)))
            recommendations.append(.map(recommendation))
        }
        let before = rows.reduce(Int64(0)) { $0 + $1.current.monthlyMicrodollars }
        let after = rows.reduce(Int64(0)) { $0 + $1.recommended.monthlyMicrodollars }
        let oomBefore = rows.reduce(0) { $0 + $1.current.risk.oomBuckets }, oomAfter = rows.reduce(0) { $0 + $1.recommended.risk.oomBuckets }
        let pressureBefore = rows.reduce(0) { $0 + $1.current.risk.cpuPressureMinutes }
        let pressureAfter = rows.reduce(0) { $0 + $1.recommended.risk.cpuPressureMinutes }
        return .map([
            ("apiVersion", .string("autoscaling.k8s.io/v1")),
            ("kind", .string("VerticalPodAutoscaler")),
            ("metadata", metadata(workload, annotations: [
                ("advice.headroom.io/monthly-cost", "\(Money.dollars(before)) → \(Money.dollars(after))"),
                ("advice.headroom.io/replayed-risk", "OOM buckets \(oomBefore) → \(oomAfter); CPU pressure minutes \(pressureBefore) → \(pressureAfter)"),
                ("advice.headroom.io/models", Array(Set(rows.flatMap(\.models))).sorted().joined(separator: ", ")),
            ])),
            ("spec", .map([
                ("targetRef", targetRef(workload)),
                ("updatePolicy", .map([("updateMode", .string("Off"))])),
                ("resourcePolicy", .map([("containerPolicies", .list(policies))])),
            ])),
            ("status", .map([("recommendation", .map([("containerRecommendations", .list(recommendations))]))])),
        ])
    }

    static func patch(_ workload: WorkloadID, _ rows: [AdviceRow]) -> YAMLTree {
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
