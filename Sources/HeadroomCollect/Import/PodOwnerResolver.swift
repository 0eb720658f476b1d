import HeadroomCore

/// Rolls pods up to the workload that owns them, from kube-state-metrics' `kube_pod_owner`,
/// `kube_replicaset_owner` and `kube_job_owner` (Job → CronJob) where present, else from the pod name (`name-<template-hash>-<id>` is a
/// Deployment's pod, `name-<ordinal>` a StatefulSet's; anything else stays a bare Pod).
struct PodOwnerResolver {
    struct Owner: Hashable {
        var kind: WorkloadKind
        var name: String
    }

    /// (cluster, namespace, pod) → owner, and (cluster, namespace, replicaset) → owner.
    private var podOwners: [[String]: Owner] = [:]
    private var replicaSetOwners: [[String]: Owner] = [:]
    private var jobOwners: [[String]: Owner] = [:]

    mutating func addPodOwner(cluster: String, namespace: String, pod: String, owner: Owner) {
        podOwners[[cluster, namespace, pod]] = owner
    }

    mutating func addReplicaSetOwner(cluster: String, namespace: String, replicaSet: String, owner: Owner) {
        replicaSetOwners[[cluster, namespace, replicaSet]] = owner
    }

    mutating func addJobOwner(cluster: String, namespace: String, job: String, owner: Owner) {
        jobOwners[[cluster, namespace, job]] = owner
    }

    func workload(cluster: String, namespace: String, pod: String) -> WorkloadID {
        var owner = podOwners[[cluster, namespace, pod]] ?? Self.guessOwner(pod: pod)
        if owner.kind == .replicaSet {
            if let parent = replicaSetOwners[[cluster, namespace, owner.name]] {
                owner = parent
            } else if let deployment = Self.deploymentName(replicaSet: owner.name) {
                owner = Owner(kind: .deployment, name: deployment)
            }
        } else if owner.kind == .job, let parent = jobOwners[[cluster, namespace, owner.name]] {
            owner = parent
        }
        return WorkloadID(cluster: cluster, namespace: namespace, kind: owner.kind, name: owner.name)
    }

    static func guessOwner(pod: String) -> Owner {
        let parts = pod.split(separator: "-")
        if parts.count >= 3, isTemplateHash(parts[parts.count - 2]), parts.last!.count == 5 {
            return Owner(kind: .deployment, name: parts.dropLast(2).joined(separator: "-"))
        }
        if parts.count >= 2, parts.last!.allSatisfy(\.isNumber) {
            return Owner(kind: .statefulSet, name: parts.dropLast().joined(separator: "-"))
        }
        return Owner(kind: .pod, name: pod)
    }

    static func deploymentName(replicaSet: String) -> String? {
        let parts = replicaSet.split(separator: "-")
        guard parts.count >= 2, isTemplateHash(parts.last!) else { return nil }
        return parts.dropLast().joined(separator: "-")
    }

    /// Pod template hashes are 6–10 characters of Kubernetes' "safe" alphabet.
    private static func isTemplateHash(_ part: Substring) -> Bool {
        (6...10).contains(part.count) && part.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) }
    }
}
