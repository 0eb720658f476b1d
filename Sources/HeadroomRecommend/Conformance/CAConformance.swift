import Foundation

/// The Cluster Autoscaler case types of `ca_cases.json`.
enum CAConformance {
    static func answer(type: String, input: [String: Any]) -> ConformanceRunner.Answer {
        switch type {
        case "binpacking": return binpacking(input)
        case "expanderLeastWaste":
            let capacity = input.object("nodeCapacity") ?? [:]
            let options = input.objects("options").map { option -> (name: String, nodeCPU: Int64, nodeMemory: Int64, nodeCount: Int, podCPU: Int64, podMemory: Int64) in
                let name = option["nodeGroup"] as? String ?? ""
                let node = capacity[name] as? [String: Any] ?? [:]
                let pods = option.objects("pods")
                return (name, node.int("cpu_m") ?? 0, node.int("memoryBytes") ?? 0, Int(option.int("nodeCount") ?? 0),
                        pods.reduce(0) { $0 + ($1.int("cpu_m") ?? 0) }, pods.reduce(0) { $0 + ($1.int("memoryBytes") ?? 0) })
            }
            return .got(["bestOptions": Expanders.leastWaste(options)])
        case "expanderPrice":
            let groups = input.object("nodeGroups") ?? [:]
            let nodePrices = input.object("nodePrice") ?? [:]
            let podPrices = input.object("podPrice") ?? [:]
            let options = input.objects("options").map { option -> (name: String, nodeCPU: Int64, nodePrice: Double, nodeCount: Int, podsPrice: Double, exists: Bool) in
                let name = option["nodeGroup"] as? String ?? ""
                let group = groups[name] as? [String: Any] ?? [:]
                let pods = option["pods"] as? [String] ?? []
                return (name, group.int("cpu_m") ?? 1, nodePrices.double(group["node"] as? String ?? "") ?? 0, Int(option.int("nodeCount") ?? 0),
                        pods.reduce(0) { $0 + (podPrices.double($1) ?? 0) }, group["exists"] as? Bool ?? true)
            }
            return .got(["bestOptions": Expanders.price(options, preferredCPU: input.int("preferredNodeCpu_m") ?? 1,
                                                        stabilizationPrice: podPrices.double("stabilize") ?? 0)])
        case "expanderPriority":
            var priorities: [Int: [String]] = [:]
            for (key, value) in input.object("priorities") ?? [:] {
                if let priority = Int(key), let patterns = value as? [String] { priorities[priority] = patterns }
            }
            return .got(["bestOptions": Expanders.priority(input["options"] as? [String] ?? [], priorities: priorities)])
        case "expanderMostPods":
            return .got(["bestOptions": Expanders.mostPods(input.objects("options").map { ($0["name"] as? String ?? "", Int($0.int("podCount") ?? 0)) })])
        case "expanderLeastNodes":
            return .got(["bestOptions": Expanders.leastNodes(input.objects("options").map { ($0["name"] as? String ?? "", Int($0.int("nodeCount") ?? 0)) })])
        case "nodeUnfitness":
            return .got(["unfitness": Expanders.unfitness(preferredCPU: input.int("preferredCpu_m") ?? 1, nodeCPU: input.int("evaluatedCpu_m") ?? 1)])
        case "nodeUtilization": return nodeUtilization(input)
        case "scaleDownEligibility": return scaleDownEligibility(input)
        case "preferredNode":
            return .got(["preferredNodeCpuCores": Expanders.preferredNode(clusterNodeCount: Int(input.int("clusterNodeCount") ?? 0)).cores])
        case "fastpathGroupSelection":
            let template = input.object("nodeTemplate") ?? [:]
            let estimator = BinpackingEstimator(node: .init(cpuMillicores: template.int("cpu_m") ?? 0, memoryBytes: template.int("memoryBytes") ?? 0,
                                                            maxPods: Int(template.int("maxPods") ?? 110)))
            // Groups with topology spread are not eligible: give them no pods to save.
            let groups = input.objects("podGroups").map { group in
                BinpackingEstimator.PodGroup(count: group["topologySpread"] == nil ? Int(group.int("count") ?? 0) : 0,
                                             cpuMillicores: group.int("cpu_m") ?? 0, memoryBytes: group.int("memoryBytes") ?? 0)
            }
            return .got(["bestGroupIndex": estimator.fastpathGroup(groups) ?? -1])
        case "podOrdering":
            let allocatable = input.object("nodeAllocatable") ?? [:]
            let estimator = BinpackingEstimator(node: .init(cpuMillicores: allocatable.int("cpu_m") ?? 0, memoryBytes: allocatable.int("memoryBytes") ?? 0, maxPods: 110))
            let definitions = input.object("groups") ?? [:]
            let sorted = (input["orders"] as? [[String]] ?? []).map { names -> [String] in
                let groups = names.map { name -> BinpackingEstimator.PodGroup in
                    let group = definitions[name] as? [String: Any] ?? [:]
                    return .init(count: 1, cpuMillicores: group.int("cpu_m") ?? 0, memoryBytes: group.int("memoryBytes") ?? 0)
                }
                return estimator.order(groups).map { names[$0] }
            }
            return .got(["sorted": sorted])
        default:
            return .unsupported("\(type) is not modelled")
        }
    }

    private static func binpacking(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let groupsInput = input.objects("podGroups")
        let template = input.object("nodeTemplate") ?? [:]
        let templateLabels = template.object("labels") ?? [:]
        let existingLabels = input.objects("existingNodesInSnapshot").map { $0.object("labels") ?? [:] }
        let estimator = BinpackingEstimator(
            node: .init(cpuMillicores: template.int("cpu_m") ?? 0, memoryBytes: template.int("memoryBytes") ?? 0, maxPods: Int(template.int("maxPods") ?? 110)),
            maxNodes: Int(input.int("maxNodes") ?? 0))
        let groups = groupsInput.map { group -> BinpackingEstimator.PodGroup in
            var spread: BinpackingEstimator.TopologySpread?
            if let constraint = group.object("topologySpread"), constraint["whenUnsatisfiable"] as? String != "ScheduleAnyway" {
                let key = constraint["topologyKey"] as? String ?? ""
                spread = .init(perHost: key == "kubernetes.io/hostname", maxSkew: Int(constraint.int("maxSkew") ?? 1),
                               minDomains: Int(constraint.int("minDomains") ?? 1),
                               existingDomains: Set(existingLabels.compactMap { $0[key] as? String }), templateDomain: templateLabels[key] as? String ?? "")
            }
            return BinpackingEstimator.PodGroup(count: Int(group.int("count") ?? 0), cpuMillicores: group.int("cpu_m") ?? 0,
                                                memoryBytes: group.int("memoryBytes") ?? 0, spread: spread, hostPorts: hostPorts(group["hostPort"]))
        }
        let result = estimator.estimate(groups)
        var got: [String: Any] = ["nodeCount": result.nodeCount, "scheduledPodCount": result.scheduledPods]
        let contributing = result.scheduledPerGroup.indices.filter { result.scheduledPerGroup[$0] > 0 }
        if contributing.count == 1 { got["allScheduledPodsFromGroupIndex"] = contributing[0] }
        if let fast = estimator.estimateWithFastpath(groups) {
            got["sameResultWithFastpath"] = fast.nodeCount == result.nodeCount && fast.scheduledPods == result.scheduledPods
        } else {
            got["sameResultWithFastpath"] = true  // no group qualifies: the fastpath run is the plain run
        }
        return .got(got)
    }

    /// `hostPort`: a port number, an object {port | hostPort, protocol, hostIP}, or a list of them.
    static func hostPorts(_ value: Any?) -> [BinpackingEstimator.HostPort] {
        switch value {
        case let number as NSNumber: return [.init(port: number.intValue)]
        case let object as [String: Any]:
            guard let port = object.int("port") ?? object.int("hostPort") else { return [] }
            return [.init(port: Int(port), protocolName: object["protocol"] as? String ?? "TCP", hostIP: object["hostIP"] as? String ?? "0.0.0.0")]
        case let list as [Any]: return list.flatMap { hostPorts($0) }
        default: return []
        }
    }

    /// A pod of the utilization cases: its request from `cpu_m`/`memoryBytes`, or from
    /// `containers` and `initContainers` ({cpu_m, memoryBytes, restartPolicyAlways}) by the
    /// scheduler's rule; deleted `deletionSecondsAgo` before now (or at
    /// `deletionTimestampSecondsAfterEpoch`), with `terminationGracePeriodSeconds` (30).
    private static func pods(_ objects: [[String: Any]], gpus: [String: Any], now: Double = 0) -> [NodeUtilization.Pod] {
        objects.map { pod in
            let kind: NodeUtilization.PodKind = switch pod["kind"] as? String {
            case "daemonset", "daemonset-by-annotation": .daemonSet
            case "mirror": .mirror
            default: .regular
            }
            func containers(_ key: String) -> [PodRequests.Container] {
                pod.objects(key).map { container in
                    PodRequests.Container(cpuMillicores: container.int("cpu_m") ?? container.int("request_m") ?? 0, memoryBytes: container.int("memoryBytes") ?? 0,
                                          restartable: (container["restartPolicyAlways"] ?? container["restartable"] ?? container["sidecar"]) as? Bool ?? false)
                }
            }
            var cpu = pod.int("cpu_m") ?? 0, memory = pod.int("memoryBytes") ?? 0
            let apps = containers("containers"), inits = containers("initContainers")
            if !apps.isEmpty || !inits.isEmpty {
                let base = apps.isEmpty ? [PodRequests.Container(cpuMillicores: cpu, memoryBytes: memory)] : apps
                (cpu, memory) = PodRequests.of(containers: base, initContainers: inits)
            }
            let deletedAt = pod.double("deletionTimestampSecondsAfterEpoch") ?? pod.double("deletionSecondsAgo").map { now - $0 }
                ?? pod.double("deletionTimestampSecondsAgo").map { now - $0 }
            return NodeUtilization.Pod(cpuMillicores: cpu, memoryBytes: memory, kind: kind, gpus: gpus.int(pod["name"] as? String ?? "") ?? 0,
                                       deletedAt: deletedAt, terminationGracePeriodSeconds: pod.double("terminationGracePeriodSeconds") ?? 30)
        }
    }

    private static func nodeUtilization(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let allocatable = input.object("nodeAllocatable") ?? [:]
        let gpu = input.object("gpu")
        let now = input.double("nowIsSecondsAfterEpoch") ?? 0
        do {
            let result = try NodeUtilization.utilization(
                allocatableCPU: allocatable.int("cpu_m"), allocatableMemory: allocatable.int("memoryBytes"),
                pods: pods(input.objects("pods"), gpus: gpu?.object("podsRequestingGpu") ?? [:], now: now),
                skipDaemonSets: input["skipDaemonSetPods"] as? Bool ?? false, skipMirrors: input["skipMirrorPods"] as? Bool ?? false,
                gpuAllocatable: allocatable.int("gpu"), gpuUnready: gpu?["unready"] as? Bool ?? false, now: now)
            return .got(["utilization": result.utilization, "cpuUtil": result.cpu, "error": false])
        } catch {
            return .got(["error": true])
        }
    }

    private static func scaleDownEligibility(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let node = input.object("node") ?? [:]
        let ignore = input["ignoreDaemonSetsUtilization"] as? Bool ?? false
        guard let result = try? NodeUtilization.utilization(
            allocatableCPU: node.int("cpu_m"), allocatableMemory: node.int("memoryBytes"), pods: pods(input.objects("pods"), gpus: [:]),
            skipDaemonSets: ignore, skipMirrors: false)
        else { return .got(["unneeded": false, "unremovableReason": "UnexpectedError"]) }
        let unneeded = NodeUtilization.isUnderutilized(result.utilization, threshold: input.double("scaleDownUtilizationThreshold") ?? 0.5)
        return .got(["unneeded": unneeded, "unremovableReason": unneeded ? NSNull() : "NotUnderutilized"])
    }
}
