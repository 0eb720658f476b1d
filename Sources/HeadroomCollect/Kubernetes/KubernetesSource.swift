import Foundation
import HeadroomCore

/// What one Kubernetes snapshot produced, and what it could not see.
public struct KubernetesSnapshot: Sendable {
    public var batch: CollectedBatch
    /// Optional APIs that were absent or refused (VPA CRD, metrics-server…).
    public var warnings: [String]
    public var podCount: Int
}

/// Takes an inventory snapshot from the Kubernetes API: nodes, pods rolled up to their
/// workloads with requests, limits, replicas, placement and HPA, OOM kills, quotas, limit
/// ranges, VPAs, and live usage from metrics.k8s.io when it is served.
public struct KubernetesSource: Sendable {
    public let api: KubernetesAPI
    /// The name Headroom files this cluster under.
    public let cluster: String

    public init(api: KubernetesAPI, cluster: String = ContainerID.defaultCluster) {
        self.api = api
        self.cluster = cluster
    }

    /// Well-known node labels naming the node pool, by provider.
    static let poolLabels = ["cloud.google.com/gke-nodepool", "eks.amazonaws.com/nodegroup", "karpenter.sh/nodepool",
                             "kubernetes.azure.com/agentpool", "agentpool", "node-pool", "nodepool"]

    /// - Parameters:
    ///   - now: the snapshot time (unix seconds) stamped on inventory and cluster objects.
    ///   - namespaces: only these namespaces, when not empty.
    public func snapshot(now: Int64, namespaces: [String] = []) async throws -> KubernetesSnapshot {
        var warnings: [String] = []
        func paths(_ group: String, _ resource: String) -> [String] {
            namespaces.isEmpty ? ["\(group)/\(resource)"] : namespaces.map { "\(group)/namespaces/\($0)/\(resource)" }
        }
        func required<T: Decodable>(_ group: String, _ resource: String, _ type: T.Type) async throws -> [T] {
            var all: [T] = []
            for path in paths(group, resource) { all += try await api.listRequired(path, as: type) }
            return all
        }
        func optional<T: Decodable>(_ group: String, _ resource: String, _ type: T.Type, what: String) async -> [T] {
            var all: [T] = []
            for path in paths(group, resource) {
                do {
                    switch try await api.list(path, as: type) {
                    case .items(let items): all += items
                    case .absent:
                        warnings.append("\(what) not served (\(group)/\(resource)): skipped")
                        return []
                    }
                } catch {
                    warnings.append("\(what): \(error)")
                    return []
                }
            }
            return all
        }

        let nodes = try await api.listRequired("/api/v1/nodes", as: K8s.Node.self).map(nodeRecord)
        let pods = try await required("/api/v1", "pods", K8s.Pod.self).filter { $0.status?.phase != "Succeeded" && $0.status?.phase != "Failed" }
        let deployments = try await required("/apis/apps/v1", "deployments", K8s.Controller.self)
        let statefulSets = try await required("/apis/apps/v1", "statefulsets", K8s.Controller.self)
        let daemonSets = try await required("/apis/apps/v1", "daemonsets", K8s.Controller.self)
        let jobs = await optional("/apis/batch/v1", "jobs", K8s.Controller.self, what: "Jobs")
        let hpas = await optional("/apis/autoscaling/v2", "horizontalpodautoscalers", K8s.HorizontalPodAutoscaler.self, what: "HorizontalPodAutoscalers")
        let vpas = await optional("/apis/autoscaling.k8s.io/v1", "verticalpodautoscalers", K8s.VerticalPodAutoscaler.self, what: "VerticalPodAutoscalers")
        let quotas = await optional("/api/v1", "resourcequotas", K8s.ResourceQuota.self, what: "ResourceQuotas")
        let limitRanges = await optional("/api/v1", "limitranges", K8s.LimitRange.self, what: "LimitRanges")
        let metrics = await optional("/apis/metrics.k8s.io/v1beta1", "pods", K8s.PodMetrics.self, what: "metrics.k8s.io (live usage)")
        // PersistentVolumes are cluster-scoped: listed whole, kept when their claim is in scope (or unbound).
        var volumes: [K8s.PersistentVolume] = []
        do {
            switch try await api.list("/api/v1/persistentvolumes", as: K8s.PersistentVolume.self) {
            case .items(let items): volumes = items
            case .absent: warnings.append("PersistentVolumes not served: skipped")
            }
        } catch {
            warnings.append("PersistentVolumes: \(error)")
        }

        let nodesByName = Dictionary(nodes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let deploymentNames = Set(deployments.map { "\($0.metadata.namespace ?? "")/\($0.metadata.name)" })
        var cronJobOfJob: [String: String] = [:]
        for job in jobs {
            if let owner = job.metadata.ownerReferences?.first(where: { $0.kind == "CronJob" }) {
                cronJobOfJob["\(job.metadata.namespace ?? "")/\(job.metadata.name)"] = owner.name
            }
        }
        var replicas: [WorkloadID: Int] = [:]
        for (kind, controllers) in [(WorkloadKind.deployment, deployments), (.statefulSet, statefulSets), (.daemonSet, daemonSets)] {
            for controller in controllers {
                let id = WorkloadID(cluster: cluster, namespace: controller.metadata.namespace ?? "", kind: kind, name: controller.metadata.name)
                replicas[id] = try replicaCount(kind == .daemonSet ? controller.status?.desiredNumberScheduled : controller.spec?.replicas,
                                                context: "\(kind.rawValue) \(id.namespace)/\(id.name)")
            }
        }
        var hpaByTarget: [WorkloadID: HPASpec] = [:]
        for hpa in hpas {
            let target = WorkloadID(cluster: cluster, namespace: hpa.metadata.namespace ?? "", kind: WorkloadKind(rawValue: hpa.spec.scaleTargetRef.kind),
                                    name: hpa.spec.scaleTargetRef.name)
            func utilization(_ resource: String) -> Int? {
                hpa.spec.metrics?.first { $0.type == "Resource" && $0.resource?.name == resource && $0.resource?.target.type == "Utilization" }?
                    .resource?.target.averageUtilization
            }
            let context = "HorizontalPodAutoscaler \(hpa.metadata.namespace ?? "")/\(hpa.metadata.name)"
            hpaByTarget[target] = HPASpec(minReplicas: try replicaCount(hpa.spec.minReplicas, context: "\(context) minReplicas") ?? 1,
                                          maxReplicas: try replicaCount(hpa.spec.maxReplicas, context: "\(context) maxReplicas") ?? 1,
                                          targetCPUUtilizationPercent: utilization("cpu"), targetMemoryUtilizationPercent: utilization("memory"))
        }

        // Pods → workload containers, and the claims they mount → their workload.
        var claimWorkload: [String: WorkloadID] = [:]
        var podWorkload: [String: WorkloadID] = [:]
        var byContainer: [ContainerID: [(pod: K8s.Pod, container: K8s.Container)]] = [:]
        var events: [ContainerEvent] = []
        for pod in pods.sorted(by: { $0.metadata.name < $1.metadata.name }) {
            let workload = owner(of: pod, deployments: deploymentNames, cronJobs: cronJobOfJob)
            podWorkload["\(workload.namespace)/\(pod.metadata.name)"] = workload
            for volume in pod.spec.volumes ?? [] {
                if let claim = volume.persistentVolumeClaim { claimWorkload["\(workload.namespace)/\(claim.claimName)"] = workload }
            }
            for container in pod.spec.containers {
                let id = ContainerID(workload: workload, container: container.name)
                byContainer[id, default: []].append((pod, container))
            }
            for status in pod.status?.containerStatuses ?? [] {
                guard let terminated = status.lastState?.terminated, terminated.reason == "OOMKilled",
                      let finished = terminated.finishedAt.flatMap(parseTime) else { continue }
                events.append(ContainerEvent(container: ContainerID(workload: workload, container: status.name), pod: pod.metadata.name,
                                             time: finished, kind: .oomKilled))
            }
        }
        var inventory: [InventoryRecord] = []
        for (id, members) in byContainer.sorted(by: { $0.key < $1.key }) {
            let first = members[0]
            let context = "pod \(first.pod.metadata.namespace ?? "")/\(first.pod.metadata.name) container \(first.container.name)"
            let zones = Set(members.compactMap { $0.pod.spec.nodeName.flatMap { nodesByName[$0]?.zone } }).sorted()
            inventory.append(InventoryRecord(
                container: id, observedAt: now,
                requests: try amounts(first.container.resources?.requests, context: "\(context) requests"),
                limits: try amounts(first.container.resources?.limits, context: "\(context) limits"),
                replicas: replicas[id.workload] ?? members.count,
                nodePool: first.pod.spec.nodeName.flatMap { nodesByName[$0]?.nodePool },
                zone: zones.isEmpty ? nil : zones.joined(separator: ","),
                hpa: hpaByTarget[id.workload], annotations: first.pod.metadata.annotations ?? [:],
                labels: first.pod.metadata.labels ?? [:]))
        }

        // Live usage: one sample per pod container at the metrics' timestamp.
        var usage = SeriesAccumulator()
        for podMetrics in metrics {
            let namespace = podMetrics.metadata.namespace ?? ""
            guard let workload = podWorkload["\(namespace)/\(podMetrics.metadata.name)"], let time = parseTime(podMetrics.timestamp) else { continue }
            for container in podMetrics.containers {
                let id = ContainerID(workload: workload, container: container.name)
                let context = "metrics of pod \(namespace)/\(podMetrics.metadata.name) container \(container.name)"
                if let cpu = container.usage["cpu"] {
                    let microcores = try quantity(cpu, unitExponent: -6, context: context)
                    usage.add(.init(container: id, pod: podMetrics.metadata.name, resource: .cpu), Sample(time: Double(time), value: Double(microcores) / 1000), line: 0)
                }
                if let memory = container.usage["memory"] {
                    let bytes = try quantity(memory, unitExponent: 0, context: context)
                    usage.add(.init(container: id, pod: podMetrics.metadata.name, resource: .memory), Sample(time: Double(time), value: Double(bytes)), line: 0)
                }
            }
        }

        let objects = ClusterObjects(
            observedAt: now, nodes: nodes,
            quotas: quotas.flatMap { quota in
                (quota.spec?.hard ?? [:]).sorted { $0.key < $1.key }.map { resource, hard in
                    ResourceQuotaRecord(namespace: quota.metadata.namespace ?? "", name: quota.metadata.name, resource: resource,
                                        hard: hard, used: quota.status?.used?[resource])
                }
            },
            limitRanges: limitRanges.flatMap { range in
                range.spec.limits.flatMap { item in
                    Set([item.default, item.defaultRequest, item.min, item.max].compactMap { $0 }.flatMap(\.keys)).sorted().map { resource in
                        LimitRangeRecord(namespace: range.metadata.namespace ?? "", name: range.metadata.name, type: item.type, resource: resource,
                                         defaultLimit: item.default?[resource], defaultRequest: item.defaultRequest?[resource],
                                         min: item.min?[resource], max: item.max?[resource])
                    }
                }
            },
            vpas: vpas.map { VPARecord(namespace: $0.metadata.namespace ?? "", name: $0.metadata.name, targetKind: $0.spec.targetRef.kind,
                                       targetName: $0.spec.targetRef.name, updateMode: $0.spec.updatePolicy?.updateMode) },
            volumes: try volumes.compactMap { volume in
                let claim = volume.spec?.claimRef
                if !namespaces.isEmpty, let namespace = claim?.namespace, !namespaces.contains(namespace) { return nil }
                let size = try volume.spec?.capacity?["storage"].map { try quantity($0, unitExponent: 0, context: "PersistentVolume \(volume.metadata.name) capacity") } ?? 0
                return VolumeRecord(name: volume.metadata.name, storageClass: volume.spec?.storageClassName, capacityBytes: size,
                                    phase: volume.status?.phase ?? "Unknown", claimNamespace: claim?.namespace, claimName: claim?.name,
                                    workload: claim.flatMap { claim in claim.namespace.flatMap { namespace in claim.name.flatMap { claimWorkload["\(namespace)/\($0)"] } } })
            })
        let batch = CollectedBatch(
            source: "kubernetes:\(api.connection.server)", usage: try usage.buckets(file: "metrics.k8s.io"), inventory: inventory,
            events: events, rawSampleCount: usage.count, watermark: now, cluster: objects)
        return KubernetesSnapshot(batch: batch, warnings: warnings, podCount: pods.count)
    }

    /// The workload a pod belongs to, through its controller reference. A ReplicaSet named
    /// `<deployment>-<pod-template-hash>` whose Deployment exists stands for that Deployment; a
    /// Job owned by a CronJob stands for the CronJob.
    func owner(of pod: K8s.Pod, deployments: Set<String>, cronJobs: [String: String] = [:]) -> WorkloadID {
        let namespace = pod.metadata.namespace ?? ""
        let reference = pod.metadata.ownerReferences?.first { $0.controller == true } ?? pod.metadata.ownerReferences?.first
        guard let reference else { return WorkloadID(cluster: cluster, namespace: namespace, kind: .pod, name: pod.metadata.name) }
        if reference.kind == "ReplicaSet" {
            let hash = pod.metadata.labels?["pod-template-hash"]
            let candidate = hash.map { reference.name.hasSuffix("-\($0)") ? String(reference.name.dropLast($0.count + 1)) : reference.name }
                ?? PodOwnerResolver.deploymentName(replicaSet: reference.name)
            if let candidate, deployments.contains("\(namespace)/\(candidate)") {
                return WorkloadID(cluster: cluster, namespace: namespace, kind: .deployment, name: candidate)
            }
        }
        if reference.kind == "Job", let cronJob = cronJobs["\(namespace)/\(reference.name)"] {
            return WorkloadID(cluster: cluster, namespace: namespace, kind: .cronJob, name: cronJob)
        }
        return WorkloadID(cluster: cluster, namespace: namespace, kind: WorkloadKind(rawValue: reference.kind), name: reference.name)
    }

    private func nodeRecord(_ node: K8s.Node) throws -> NodeRecord {
        let labels = node.metadata.labels ?? [:]
        let context = "node \(node.metadata.name)"
        return NodeRecord(
            name: node.metadata.name,
            nodePool: Self.poolLabels.lazy.compactMap { labels[$0] }.first,
            zone: labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"],
            instanceType: labels["node.kubernetes.io/instance-type"] ?? labels["beta.kubernetes.io/instance-type"],
            allocatable: try amounts(node.status?.allocatable, context: "\(context) allocatable"),
            capacity: try amounts(node.status?.capacity, context: "\(context) capacity"))
    }

    /// CPU and memory of a requests/limits/capacity map, each within `InputLimits`.
    private func amounts(_ quantities: K8s.Quantities?, context: String) throws -> ResourceAmounts {
        let amounts: ResourceAmounts
        do {
            amounts = ResourceAmounts(cpu: try quantities?["cpu"].map(CPUQuantity.init(parsing:)),
                                      memory: try quantities?["memory"].map(MemoryQuantity.init(parsing:)))
        } catch {
            throw KubernetesError("\(context): \(error)")
        }
        if let cpu = amounts.cpu, !(0...InputLimits.maxMillicores).contains(cpu.millicores) {
            throw KubernetesError("\(context): cpu \(quantities?["cpu"] ?? "") is outside 0…1,000,000 cores")
        }
        if let memory = amounts.memory, !(0...InputLimits.maxBytes).contains(memory.bytes) {
            throw KubernetesError("\(context): memory \(quantities?["memory"] ?? "") is outside 0…1 PiB")
        }
        return amounts
    }

    /// A quantity in 10^`unitExponent` units, at most what 1 PiB (or 1,000,000 cores) is in them.
    private func quantity(_ text: String, unitExponent: Int, context: String) throws -> Int64 {
        let value: Int64
        do {
            value = try QuantityParser.parse(text, unitExponent: unitExponent)
        } catch {
            throw KubernetesError("\(context): \(error)")
        }
        guard value >= 0, value <= InputLimits.maxBytes else { throw KubernetesError("\(context): \(text) is outside any CPU or memory amount") }
        return value
    }

    /// A replica count from a controller or an HPA, within 0…`InputLimits.maxReplicas`.
    private func replicaCount(_ value: Int?, context: String) throws -> Int? {
        guard let value else { return nil }
        guard (0...InputLimits.maxReplicas).contains(value) else {
            throw KubernetesError("\(context): \(value) replicas is outside 0…\(InputLimits.maxReplicas)")
        }
        return value
    }

    private func parseTime(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970) }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }
}
