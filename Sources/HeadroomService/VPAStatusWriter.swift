import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomEngine
import HeadroomManifests
import Logging

/// VPA custom recommender write-back (`--write-vpa-status`): after a good cycle, every
/// VerticalPodAutoscaler whose `spec.recommenders` names this recommender gets the published
/// recommendation patched into its status subresource. A VPA that names another recommender,
/// or none, is never touched. A refused write (403, 409, 422) or a malformed policy is logged
/// and counted, and the other VPAs are still written.
public struct VPAStatusWriter: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        case written, forbidden, conflict, invalid, failed, malformedPolicy = "malformed_policy"
    }

    public let api: KubernetesAPI
    public let recommender: String
    let logger: Logger
    let metrics: ServiceMetrics

    public init(api: KubernetesAPI, recommender: String = "headroom", logger: Logger, metrics: ServiceMetrics) {
        self.api = api
        self.recommender = recommender
        self.logger = logger
        self.metrics = metrics
    }

    /// Writes the status of every VPA that opted in; the outcome of each, by `namespace/name`.
    /// With `shard`, only the VPAs whose target is a workload of those shards: each replica of
    /// `serve --replicas-shard` writes the VPAs of the shards it holds, so no VPA gets two writers.
    @discardableResult
    public func write(_ assessment: Assessment, now: Int64, shard: ShardSelection? = nil) async throws -> [String: Outcome] {
        var outcomes: [String: Outcome] = [:]
        for vpa in try await api.verticalPodAutoscalers() where vpa.names(recommender: recommender) {
            let namespace = vpa.metadata.namespace ?? "default"
            let target = WorkloadID(cluster: assessment.metadata.cluster, namespace: namespace,
                                    kind: WorkloadKind(rawValue: vpa.spec.targetRef.kind), name: vpa.spec.targetRef.name)
            if let shard, !shard.contains(target) { continue }
            let name = "\(namespace)/\(vpa.metadata.name)"
            let outcome: Outcome
            do {
                let policies = try Self.policies(vpa)
                let status = VPAStatus.make(containers: Self.inputs(assessment, namespace: namespace, target: vpa.spec.targetRef),
                                            policies: policies, recommender: recommender, now: now)
                let path = "/apis/autoscaling.k8s.io/v1/namespaces/\(namespace)/verticalpodautoscalers/\(vpa.metadata.name)/status"
                let (code, message) = try await api.mergePatch(path, body: try status.patchBody())
                outcome = switch code {
                case 200...299: .written
                case 403: .forbidden
                case 409: .conflict
                case 422: .invalid
                default: .failed
                }
                if outcome != .written {
                    logger.error("vpa status", metadata: ["vpa": "\(name)", "outcome": "\(outcome.rawValue)", "status": "\(code)", "error": "\(message ?? "")"])
                }
            } catch let error as PolicyError {
                outcome = .malformedPolicy
                logger.error("vpa status", metadata: ["vpa": "\(name)", "outcome": "\(outcome.rawValue)", "error": "\(error.reason)"])
            }
            metrics.recordVPAWrite(outcome)
            outcomes[name] = outcome
        }
        return outcomes
    }

    /// `write`, with a failure to list or reach the API logged and counted instead of thrown:
    /// the cycle that published the assessment stays good.
    public func writeLogged(_ assessment: Assessment, now: Int64, shard: ShardSelection? = nil) async {
        do {
            let outcomes = try await write(assessment, now: now, shard: shard)
            logger.info("vpa status", metadata: ["vpas": "\(outcomes.count)", "written": "\(outcomes.values.filter { $0 == .written }.count)"])
        } catch {
            metrics.recordVPAWrite(.failed)
            logger.error("vpa status", metadata: ["outcome": "failed", "error": "\(error)"])
        }
    }

    struct PolicyError: Error { var reason: String }

    /// The VPA's container policies, quantities parsed.
    static func policies(_ vpa: VerticalPodAutoscalerObject) throws -> [VPAContainerPolicy] {
        try (vpa.spec.resourcePolicy?.containerPolicies ?? []).map { raw in
            let container = raw.containerName ?? "*"
            func amounts(_ values: [String: String]?, _ field: String) throws -> ResourceAmounts {
                var result = ResourceAmounts()
                do {
                    if let cpu = values?["cpu"] { result.cpu = try CPUQuantity(parsing: cpu) }
                    if let memory = values?["memory"] { result.memory = try MemoryQuantity(parsing: memory) }
                } catch {
                    throw PolicyError(reason: "container \(container): \(field): \(error)")
                }
                return result
            }
            guard let mode = VPAContainerPolicy.Mode(rawValue: raw.mode ?? "Auto") else {
                throw PolicyError(reason: "container \(container): mode \"\(raw.mode ?? "")\" is neither Auto nor Off")
            }
            let controlled = try Set((raw.controlledResources ?? ["cpu", "memory"]).map { name in
                guard let kind = ResourceKind(rawValue: name) else { throw PolicyError(reason: "container \(container): controlledResources: unknown resource \"\(name)\"") }
                return kind
            })
            return VPAContainerPolicy(containerName: container, mode: mode, minAllowed: try amounts(raw.minAllowed, "minAllowed"),
                                      maxAllowed: try amounts(raw.maxAllowed, "maxAllowed"), controlledResources: controlled)
        }
    }

    /// The target workload's containers as recommendation inputs. Bounds are the VPA
    /// strategy's own; under the forecast strategy the lower bound is what the forecast says the
    /// pod needs (the target without its margin) and the upper bound lies as far above the
    /// target, so pods whose requests are within the margin are left alone.
    static func inputs(_ assessment: Assessment, namespace: String, target: VerticalPodAutoscalerObject.Spec.TargetRef) -> [VPARecommendationInput] {
        assessment.containers.filter {
            $0.container.workload.namespace == namespace && $0.container.workload.name == target.name
                && $0.container.workload.kind.rawValue.caseInsensitiveCompare(target.kind) == .orderedSame
        }.map { row in
            let recommended = row.recommended.requests
            var lower = row.vpaBounds?.lower ?? .none, upper = row.vpaBounds?.upper ?? .none
            if row.vpaBounds == nil, let evidence = row.forecast {
                // A need that is not a finite number below the target (never, from a forecast of bounded
                // usage) is the target itself: the integer conversion must not trap.
                func below(_ need: Double, _ target: Int64) -> Int64 { need.isFinite && need < Double(target) ? Int64(max(0, need.rounded(.up))) : target }
                if let cpu = recommended.cpu {
                    let need = CPUQuantity(millicores: below(max(evidence.cpu.forecastPeakMillicores, evidence.cpu.recentQuantileMillicores), cpu.millicores))
                    lower.cpu = need
                    upper.cpu = CPUQuantity(millicores: cpu.millicores.saturatingAdd(cpu.millicores - need.millicores))
                }
                if let memory = recommended.memory {
                    let peak = max(evidence.memory.forecastPeakBytes, evidence.memory.observedPeakBytes, evidence.memory.oomFloorBytes ?? 0)
                    let need = MemoryQuantity(bytes: below(peak, memory.bytes))
                    lower.memory = need
                    upper.memory = MemoryQuantity(bytes: memory.bytes.saturatingAdd(memory.bytes - need.bytes))
                }
            }
            return VPARecommendationInput(container: row.container.container, target: recommended, lowerBound: lower, upperBound: upper,
                                          lowConfidence: row.confidence?.level == .low)
        }
    }
}
