import Foundation

/// The HPA case types of `hpa_cases.json`.
enum HPAConformance {
    static func answer(type: String, input: [String: Any]) -> ConformanceRunner.Answer {
        switch type {
        case "replicaCalc":
            do {
                return .got(try replicaCalc(current: Int(input.int("currentReplicas") ?? 0), metric: input.object("metric") ?? [:],
                                            pods: input.objects("pods"), unknown: input.objects("metricsForUnknownPods"), tolerance: tolerance(input)).got)
            } catch {
                return .got(["error": error.message])
            }
        case "groupPods": return groupPods(input)
        case "podRequests": return podRequests(input)
        case "legacyRules":
            let result = HPANormalization.legacyRules(
                current: Int(input.int("currentReplicas") ?? 0), desired: Int(input.int("desiredReplicas") ?? 0),
                minReplicas: Int(input.int("minReplicas") ?? 1), maxReplicas: Int(input.int("maxReplicas") ?? 1),
                scaleUpLimitFactor: input.double("scaleUpLimitFactor") ?? 2, scaleUpLimitMinimum: input.double("scaleUpLimitMinimum") ?? 4)
            return .got(["replicas": result.replicas, "condition": result.condition.rawValue])
        case "stabilizeLegacy":
            let result = HPANormalization.stabilizeLegacy(history: history(input.objects("recommendationHistory")),
                                                          desired: Int(input.int("prenormalizedDesiredReplicas") ?? 0),
                                                          windowSeconds: input.double("downscaleStabilizationWindowSeconds") ?? 300)
            return .got(["stabilizedReplicas": result.replicas, "historyLengthAfter": result.history.count])
        case "stabilizeBehavior":
            let result = HPANormalization.stabilizeBehavior(
                history: history(input.objects("recommendationHistory")), desired: Int(input.int("prenormalizedDesiredReplicas") ?? 0),
                current: Int(input.int("currentReplicas") ?? 0), upWindowSeconds: input.double("scaleUpStabilizationWindowSeconds") ?? 0,
                downWindowSeconds: input.double("scaleDownStabilizationWindowSeconds") ?? 300)
            return .got(["stabilizedReplicas": result.replicas, "historyReplicasAfter": result.history.map(\.replicas)])
        case "behaviorRate":
            let result = HPANormalization.behaviorRules(
                current: Int(input.int("currentReplicas") ?? 0), desired: Int(input.int("prenormalizedDesiredReplicas") ?? 0),
                minReplicas: Int(input.int("minReplicas") ?? 1), maxReplicas: Int(input.int("maxReplicas") ?? 1),
                scaleUp: rules(input.object("scaleUpRules"), default: .defaultScaleUp),
                scaleDown: rules(input.object("scaleDownRules"), default: .defaultScaleDown),
                upEvents: events(input.objects("scaleUpEvents")), downEvents: events(input.objects("scaleDownEvents")))
            return .got(["replicas": result.replicas, "condition": result.condition.rawValue])
        case "scaleEventStore": return scaleEventStore(input)
        case "behaviorLimit":
            let up = input["direction"] as? String == "up"
            let limit = HPANormalization.limit(scalingUp: up, current: Int(input.int("currentReplicas") ?? 0),
                                               rules: rules(input.object("rules"), default: up ? .defaultScaleUp : .defaultScaleDown),
                                               upEvents: events(input.objects("scaleUpEvents")), downEvents: events(input.objects("scaleDownEvents")))
            return .got(["limit": limit])
        case "controller": return controller(input)
        default:
            return .unsupported("\(type) describes controller bookkeeping Headroom does not replay")
        }
    }

    static func tolerance(_ input: [String: Any]) -> HPAReplicaCalculator.Tolerance {
        let object = input.object("tolerance") ?? [:]
        return .init(scaleDown: object.double("scaleDown") ?? 0.1, scaleUp: object.double("scaleUp") ?? 0.1)
    }

    static func history(_ objects: [[String: Any]]) -> [HPARecommendation] {
        objects.map { HPARecommendation(replicas: Int($0.int("replicas") ?? 0), ageSeconds: $0.double("ageSeconds") ?? 0) }
    }

    /// Stores a change of `replicaChange` now over `previousEvents` (ages in seconds) under
    /// `rules`; without rules (no behavior) nothing is stored, as upstream.
    private static func scaleEventStore(_ input: [String: Any]) -> ConformanceRunner.Answer {
        var store = HPAScaleEventStore(events: input.objects("previousEvents").map {
            .init(change: Int($0.int("replicaChange") ?? 0), time: -($0.double("ageSeconds") ?? 0))
        })
        let before = store.change(inLast: 60, now: 0)
        if let object = input.object("rules") {
            let rules = rules(object, default: .defaultScaleUp)
            store.store(change: Int(input.int("replicaChange") ?? 0), now: 0,
                        longestPeriodSeconds: Double(rules.policies.map(\.periodSeconds).max() ?? 0))
        }
        return .got(["replicaChangeInLast60sBeforeStore": before,
                     "eventsAfterStore": store.events.map { ["replicaChange": $0.change, "outdated": $0.outdated] as [String: Any] }])
    }

    static func events(_ objects: [[String: Any]]) -> [HPAScaleEvent] {
        objects.map { HPAScaleEvent(change: Int($0.int("replicaChange") ?? 0), ageSeconds: $0.double("ageSeconds") ?? 0) }
    }

    /// A rules object with each unset field taken from the defaults; a given policy list replaces them.
    static func rules(_ object: [String: Any]?, default defaults: HPAScalingRules) -> HPAScalingRules {
        guard let object else { return defaults }
        var rules = defaults
        if object["stabilizationWindowSeconds"] != nil { rules.stabilizationWindowSeconds = object.int("stabilizationWindowSeconds").map(Int.init) }
        if let select = object["selectPolicy"] as? String, let policy = HPAScalingRules.SelectPolicy(rawValue: select) { rules.selectPolicy = policy }
        if let policies = object["policies"] as? [[String: Any]] {
            rules.policies = policies.compactMap { policy in
                guard let kind = HPAScalingRules.Policy.Kind(rawValue: policy["type"] as? String ?? "") else { return nil }
                return .init(kind: kind, value: Int(policy.int("value") ?? 0), periodSeconds: Int(policy.int("periodSeconds") ?? 15))
            }
        }
        return rules
    }

    struct Proposal {
        var replicas: Int
        var got: [String: Any]
    }

    /// One metric's proposal, shared by `replicaCalc` and `controller`.
    static func replicaCalc(current: Int, metric: [String: Any], pods: [[String: Any]], unknown: [[String: Any]],
                            tolerance: HPAReplicaCalculator.Tolerance, statusReplicas: Int? = nil) throws(HPAReplicaCalculator.Failure) -> Proposal {
        let kind = metric["kind"] as? String ?? ""
        switch kind {
        case "resource-utilization":
            let resource = metric["resource"] as? String ?? "cpu"
            let container = metric["container"] as? String
            if pods.allSatisfy({ $0["metrics"] == nil || $0["metrics"] is NSNull }) && unknown.isEmpty {
                throw HPAReplicaCalculator.Failure(message: "no metrics returned from resource metrics API")
            }
            var samples: [HPAReplicaCalculator.PodSample] = []
            for pod in pods {
                let name = pod["name"] as? String ?? ""
                let containers = pod.objects("containers").map { ($0["name"] as? String ?? "", $0.int("request_m")) }
                let request = try HPAReplicaCalculator.podRequest(containers: containers, restartableInit: [], podLevelRequest: nil,
                                                                 container: container, podLevelResources: false, resource: resource, pod: name)
                var value: Int64?
                if let usage = pod.object("metrics") {
                    if let container { value = usage.int(container) } else { value = usage.values.reduce(Int64(0)) { $0 + (($1 as? NSNumber)?.int64Value ?? 0) } }
                }
                samples.append(.init(name: name, group: group(pod, hasValue: value != nil, cpu: resource == "cpu"), request: request, value: value))
            }
            let result = try HPAReplicaCalculator.utilization(current: current, target: Int(metric.int("targetAverageUtilization") ?? 100),
                                                               pods: samples, tolerance: tolerance)
            return Proposal(replicas: result.replicas, got: ["replicas": result.replicas, "utilization": result.utilization,
                                                             "rawAverageValue_m": result.rawAverageValue])
        case "pods", "resource-value":
            let samples = pods.map { pod in
                let value = pod.int("metricValue_m")
                return HPAReplicaCalculator.PodSample(name: pod["name"] as? String ?? "", group: group(pod, hasValue: value != nil, cpu: false),
                                                      request: 0, value: value)
            }
            let result = try HPAReplicaCalculator.averageValue(current: current, target: metric.int("targetAverageValue_m") ?? 1, pods: samples, tolerance: tolerance)
            return Proposal(replicas: result.replicas, got: ["replicas": result.replicas, "usage_m": result.utilization])
        case "object", "external":
            let observed: Int64 = kind == "object" ? (metric.int("observedValue_m") ?? 0)
                : (metric["observedValues_m"] as? [NSNumber] ?? []).reduce(Int64(0)) { $0.addingReportingOverflow($1.int64Value).overflow ? .max : $0 + $1.int64Value }
            if metric["targetType"] as? String == "AverageValue" {
                let result = HPAReplicaCalculator.averageValue(statusReplicas: statusReplicas ?? current, observed: observed,
                                                               target: metric.int("targetAverageValue_m") ?? 1, tolerance: tolerance)
                return Proposal(replicas: result.replicas, got: ["replicas": result.replicas, "usage_m": result.usage])
            }
            let ready = pods.filter { ($0["phase"] as? String) == "Running" && ($0["readyCondition"] as? Bool ?? false) }.count
            let result = HPAReplicaCalculator.value(current: current, observed: observed, target: metric.int("targetValue_m") ?? 1,
                                                    readyPods: ready, tolerance: tolerance)
            return Proposal(replicas: result.replicas, got: ["replicas": result.replicas, "usage_m": result.usage])
        default:
            throw HPAReplicaCalculator.Failure(message: "invalid metric source type \(kind)")
        }
    }

    /// Classification from the case fixture: ignored, unready (Pending; for CPU also not Ready or
    /// still initializing), missing (no sample), ready.
    static func group(_ pod: [String: Any], hasValue: Bool, cpu: Bool) -> HPAReplicaCalculator.PodSample.Group {
        let phase = pod["phase"] as? String ?? "Running"
        if pod["deletionTimestampSet"] as? Bool == true || phase == "Failed" { return .ignored }
        if phase == "Pending" { return .unready }
        if !hasValue { return .missing }
        if cpu && (pod["readyCondition"] as? Bool == false || pod["cpuInitializing"] as? Bool == true) { return .unready }
        return .ready
    }

    private static func groupPods(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let pods = input.objects("pods").map { pod -> HPAPodGrouping.Pod in
            let ready = pod.object("readyCondition").map { (status: $0["status"] as? Bool ?? false, lastTransitionSecondsAgo: $0.double("lastTransitionSecondsAgo") ?? 0) }
            let metric = pod.object("metric").map { (timestampSecondsAgo: $0.double("timestampSecondsAgo"), windowSeconds: $0.double("windowSeconds") ?? 0) }
            return HPAPodGrouping.Pod(name: pod["name"] as? String ?? "", phase: pod["phase"] as? String ?? "Running",
                                      deletionTimestampSet: pod["deletionTimestampSet"] as? Bool ?? false,
                                      startTimeSecondsAgo: pod.double("startTimeSecondsAgo"), ready: ready, metric: metric)
        }
        let groups = HPAPodGrouping.group(pods, cpu: input["resource"] as? String == "cpu",
                                          cpuInitializationPeriod: input.double("cpuInitializationPeriodSeconds") ?? 300,
                                          initialReadinessDelay: input.double("delayOfInitialReadinessStatusSeconds") ?? 30)
        return .got(["readyPodCount": groups.ready.count, "unreadyPods": groups.unready.sorted(), "missingPods": groups.missing.sorted(),
                     "ignoredPods": groups.ignored.sorted()])
    }

    private static func podRequests(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let containers = input.objects("containers").map { ($0["name"] as? String ?? "", $0.int("request_m")) }
        let restartable = input.objects("initContainers").filter { $0["restartPolicyAlways"] as? Bool == true }
            .map { ($0["name"] as? String ?? "", $0.int("request_m")) }
        do {
            let request = try HPAReplicaCalculator.podRequest(
                containers: containers, restartableInit: restartable, podLevelRequest: input.int("podLevelRequest_m"),
                container: input["hpaContainer"] as? String, podLevelResources: input["podLevelResourcesFeatureEnabled"] as? Bool ?? false,
                resource: input["resource"] as? String ?? "cpu", pod: "test-pod")
            return .got(["request_m": request])
        } catch {
            return .got(["error": error.message])
        }
    }

    /// A full reconcile: min/max short-cuts, the maximum of the metrics' proposals, then
    /// normalization (legacy with the production scale-up factor 2, or behavior).
    private static func controller(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let minReplicas = Int(input.int("minReplicas") ?? 1), maxReplicas = Int(input.int("maxReplicas") ?? 1)
        let spec = Int(input.int("specReplicas") ?? 0)
        let status = input.int("statusReplicas").map { Int($0) } ?? spec
        var conditions: [String: Any] = [:]
        if spec == 0 && minReplicas != 0 {
            return .got(["desiredReplicas": 0, "conditions": ["ScalingActive": "ScalingDisabled", "AbleToScale": "SucceededGetScale"]])
        }
        if spec > maxReplicas { return .got(["desiredReplicas": maxReplicas, "conditions": ["ScalingLimited": "TooManyReplicas", "AbleToScale": "SucceededRescale"]]) }
        if spec < minReplicas { return .got(["desiredReplicas": minReplicas, "conditions": ["ScalingLimited": "TooFewReplicas", "AbleToScale": "SucceededRescale"]]) }
        var proposals: [Int] = []
        var failures = 0
        for metric in input.objects("metrics") {
            if metric["kind"] as? String == "invalid" {
                failures += 1
                conditions["ScalingActive"] = "InvalidMetricSourceType"
                continue
            }
            if metric["fetchError"] as? Bool == true {
                failures += 1
                conditions["ScalingActive"] = "FailedGetExternalMetric"
                continue
            }
            do {
                proposals.append(try replicaCalc(current: spec, metric: metric, pods: input.objects("pods"), unknown: input.objects("metricsForUnknownPods"),
                                                 tolerance: tolerance(input), statusReplicas: status).replicas)
            } catch {
                failures += 1
                conditions["ScalingActive"] = metric["kind"] as? String == "resource-utilization" ? "FailedGetResourceMetric" : "FailedGetMetric"
            }
        }
        guard let proposed = proposals.max(), failures == 0 || proposed >= spec else {
            conditions["AbleToScale"] = "SucceededGetScale"
            return .got(["desiredReplicas": spec, "conditions": conditions])
        }
        let recorded = input["recommendationHistory"] is NSNull || input["recommendationHistory"] == nil
            ? [HPARecommendation(replicas: spec, ageSeconds: 0)] : history(input.objects("recommendationHistory"))
        let normalized: (replicas: Int, condition: HPALimitCondition)
        let stabilized: Int
        if let behavior = input.object("behavior") {
            let up = rules(behavior.object("scaleUp"), default: .defaultScaleUp)
            let down = rules(behavior.object("scaleDown"), default: .defaultScaleDown)
            stabilized = HPANormalization.stabilizeBehavior(
                history: recorded, desired: proposed, current: spec, upWindowSeconds: Double(up.stabilizationWindowSeconds ?? 0),
                downWindowSeconds: Double(down.stabilizationWindowSeconds ?? Int(input.int("downscaleStabilizationWindowSeconds") ?? 300))).replicas
            normalized = HPANormalization.behaviorRules(current: spec, desired: stabilized, minReplicas: minReplicas, maxReplicas: maxReplicas,
                                                        scaleUp: up, scaleDown: down, upEvents: [], downEvents: [])
        } else {
            stabilized = HPANormalization.stabilizeLegacy(history: recorded, desired: proposed,
                                                          windowSeconds: input.double("downscaleStabilizationWindowSeconds") ?? 300).replicas
            normalized = HPANormalization.legacyRules(current: spec, desired: stabilized, minReplicas: minReplicas, maxReplicas: maxReplicas)
        }
        conditions["ScalingLimited"] = normalized.condition.rawValue
        if normalized.replicas != spec {
            conditions["AbleToScale"] = "SucceededRescale"
        } else if stabilized > proposed {
            conditions["AbleToScale"] = "ScaleDownStabilized"
        } else {
            conditions["AbleToScale"] = "ReadyForNewScale"
        }
        if conditions["ScalingActive"] == nil { conditions["ScalingActive"] = "ValidMetricFound" }
        return .got(["desiredReplicas": normalized.replicas, "conditions": conditions])
    }
}
