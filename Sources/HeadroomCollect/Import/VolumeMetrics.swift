import HeadroomCore

/// PersistentVolumes seen through kube-state-metrics (`kube_persistentvolume_capacity_bytes`,
/// `_status_phase`, `_claim_ref`, `_info`) and the claims pods mount
/// (`kube_pod_spec_volumes_persistentvolumeclaims_info`), kept at their latest values.
struct VolumeMetrics {
    private struct Volume {
        var capacity: Double?
        var phase: (name: String, time: Double)?
        var claim: (namespace: String, name: String)?
        var storageClass: String?
    }

    private var volumes: [[String]: Volume] = [:]
    /// [cluster, namespace, claim] → the pod that mounts it.
    private var claimPods: [[String]: String] = [:]
    private(set) var latest: Double?

    /// Returns false for a sample it cannot use (no volume name, a phase series at 0).
    mutating func add(_ metric: Substring, labels: [Substring: String], cluster: String, value: Double, time: Double) -> Bool {
        guard let name = labels["persistentvolume"], !name.isEmpty else { return false }
        latest = max(latest ?? time, time)
        let key = [cluster, name]
        switch metric {
        case "kube_persistentvolume_capacity_bytes":
            volumes[key, default: Volume()].capacity = value
        case "kube_persistentvolume_status_phase":
            guard value == 1, let phase = labels["phase"] else { return false }
            if (volumes[key]?.phase?.time ?? -.infinity) <= time { volumes[key, default: Volume()].phase = (phase, time) }
        case "kube_persistentvolume_claim_ref":
            guard let namespace = labels["claim_namespace"], let claim = labels["name"] ?? labels["claim_name"] else { return false }
            volumes[key, default: Volume()].claim = (namespace, claim)
        default:
            volumes[key, default: Volume()].storageClass = labels["storageclass"]
        }
        return true
    }

    var clusters: Set<String> { Set(volumes.keys.map { $0[0] }) }

    mutating func addPodClaim(cluster: String, namespace: String, pod: String, claim: String) {
        claimPods[[cluster, namespace, claim]] = pod
    }

    func records(workloadOf: (String, String, String) -> WorkloadID) -> [VolumeRecord] {
        volumes.sorted { $0.key.lexicographicallyPrecedes($1.key) }.compactMap { key, volume in
            guard let capacity = volume.capacity else { return nil }
            let workload = volume.claim.flatMap { claim in claimPods[[key[0], claim.namespace, claim.name]].map { workloadOf(key[0], claim.namespace, $0) } }
            return VolumeRecord(name: key[1], storageClass: volume.storageClass, capacityBytes: Int64(capacity), phase: volume.phase?.name ?? "Unknown",
                                claimNamespace: volume.claim?.namespace, claimName: volume.claim?.name, workload: workload)
        }
    }
}
