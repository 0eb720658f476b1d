import Foundation
import HeadroomCore
import HeadroomEngine

/// What `GET /v1/keda/{namespace}/{workload}` answers: a workload's predicted CPU demand over the
/// next hour and the replicas that carry it, in the JSON KEDA's `metrics-api` scaler reads (its
/// `valueLocation` names a field: `predictedReplicas` with `targetValue: "1"`, or
/// `predictedMillicores.p90` with the millicores one pod should carry). Built from the same
/// Assessment as every other answer: the next-hour forecast peaks of its containers.
public struct KEDAPrediction: Sendable, Encodable, Equatable {
    public struct Demand: Sendable, Encodable, Equatable {
        public var p50: Double
        public var p90: Double
    }
    public var namespace: String
    public var kind: String
    public var workload: String
    /// The forecast's look-ahead: the next hour.
    public var horizonSeconds: Int
    /// When the assessment was computed (unix seconds).
    public var generatedAt: Int64
    /// Replicas now (declared).
    public var replicas: Int
    /// The pod's CPU request now, summed over its containers, in millicores.
    public var podRequestMillicores: Int64
    /// Utilization the replicas are sized for: the recommended HPA target when there is HPA
    /// advice, else the request's `target` (percent, 70 by default).
    public var targetUtilization: Double
    /// The whole workload's CPU demand (per-pod forecast × replicas), highest 5-minute value of
    /// the next hour.
    public var predictedMillicores: Demand
    /// ⌈p90 demand ÷ (pod request × target utilization)⌉, at least 1.
    public var predictedReplicas: Int

    /// Why a prediction cannot be made, for the answer's status and text.
    public enum Failure: Error, Equatable {
        case unknownWorkload, ambiguous(kinds: [String]), noForecast, noCPURequest
    }

    /// The prediction for `namespace`/`name` (any kind, as KEDA names a scale target by name; two
    /// kinds sharing the name are ambiguous unless `kind` picks one).
    public static func make(_ assessment: Assessment, namespace: String, name: String, kind: String? = nil,
                            defaultTargetPercent: Double = 70) -> Result<KEDAPrediction, Failure> {
        let rows = assessment.containers.filter { row in
            let id = row.container.workload
            return id.namespace == namespace && id.name == name && (kind.map { id.kind.rawValue.caseInsensitiveCompare($0) == .orderedSame } ?? true)
        }
        guard let first = rows.first else { return .failure(.unknownWorkload) }
        let kinds = Set(rows.map(\.container.workload.kind.rawValue))
        guard kinds.count == 1 else { return .failure(.ambiguous(kinds: kinds.sorted())) }
        let workload = first.container.workload
        var p50 = 0.0, p90 = 0.0
        var request: Int64 = 0
        for row in rows {
            guard let nextHour = row.forecast?.cpu.nextHour else { return .failure(.noForecast) }
            p50 += nextHour.p50 * Double(row.replicas)
            p90 += nextHour.p90 * Double(row.replicas)
            request = request.saturatingAdd(row.current.requests.cpu?.millicores ?? 0)
        }
        guard request > 0 else { return .failure(.noCPURequest) }
        let target = assessment.workloads.first { $0.workload == workload }.map(\.hpa.recommended.targetUtilization) ?? defaultTargetPercent / 100
        let replicas = (p90 / (Double(request) * target)).rounded(.up)
        return .success(KEDAPrediction(
            namespace: workload.namespace, kind: workload.kind.rawValue, workload: workload.name, horizonSeconds: 3_600,
            generatedAt: assessment.metadata.generatedAt, replicas: first.replicas, podRequestMillicores: request, targetUtilization: target,
            predictedMillicores: Demand(p50: p50, p90: p90),
            predictedReplicas: replicas.isFinite ? max(1, Int(min(replicas, Double(InputLimits.maxReplicas)))) : 1))
    }
}
