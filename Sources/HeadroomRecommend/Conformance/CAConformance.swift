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
        if groupsInput.contains(where: { $0["hostPort"] != nil }) {
            return .unsupported("host ports are a scheduler predicate Headroom does not model")
        }
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
                                                memoryBytes: group.int("memoryBytes") ?? 0, spread: spread)
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

    private static func pods(_ objects: [[String: Any]], gpus: [String: Any]) -> [NodeUtilization.Pod] {
        objects.map { pod in
            let kind: NodeUtilization.PodKind = switch pod["kind"] as? String {
            case "daemonset", "daemonset-by-annotation": .daemonSet
            case "mirror": .mirror
            default: .regular
            }
            return NodeUtilization.Pod(cpuMillicores: pod.int("cpu_m") ?? 0, memoryBytes: pod.int("memoryBytes") ?? 0, kind: kind,
                                       gpus: gpus.int(pod["name"] as? String ?? "") ?? 0)
        }
    }

    private static func nodeUtilization(_ input: [String: Any]) -> ConformanceRunner.Answer {
        let allocatable = input.object("nodeAllocatable") ?? [:]
        let gpu = input.object("gpu")
        do {
            let result = try NodeUtilization.utilization(
                allocatableCPU: allocatable.int("cpu_m"), allocatableMemory: allocatable.int("memoryBytes"),
                pods: pods(input.objects("pods"), gpus: gpu?.object("podsRequestingGpu") ?? [:]),
                skipDaemonSets: input["skipDaemonSetPods"] as? Bool ?? false, skipMirrors: input["skipMirrorPods"] as? Bool ?? false,
                gpuAllocatable: allocatable.int("gpu"), gpuUnready: gpu?["unready"] as? Bool ?? false)
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
