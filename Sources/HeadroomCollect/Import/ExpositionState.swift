import HeadroomCore

/// Accumulates exposition samples by pod and container until every owner is known, then rolls
/// them up to workloads.
struct ExpositionState {
    struct PodContainer: Hashable, Comparable {
        var cluster: String
        var namespace: String
        var pod: String
        var container: String

        static func < (lhs: PodContainer, rhs: PodContainer) -> Bool {
            (lhs.cluster, lhs.namespace, lhs.pod, lhs.container) < (rhs.cluster, rhs.namespace, rhs.pod, rhs.container)
        }
    }

    struct Timed {
        var sample: Sample
        var line: Int
    }

    /// A declared value of a container at a time (request/limit) or of a workload (replicas).
    enum Declared {
        case request(ResourceKind, Double)
        case limit(ResourceKind, Double)
    }

    private var cpuCounters: [PodContainer: [Timed]] = [:]
    private var memory: [PodContainer: [Timed]] = [:]
    /// Buckets Prometheus summarised already (downsampled collection), per pod container.
    private var summarised: [PodContainer: [ResourceKind: [BucketStats]]] = [:]
    private var declared: [PodContainer: [(time: Int64, value: Declared)]] = [:]
    private var restarts: [PodContainer: [Timed]] = [:]
    private var oomReason: [PodContainer: [Timed]] = [:]
    /// [cluster, namespace, kind, name] → replica samples.
    private var replicas: [[String]: [(time: Int64, value: Int)]] = [:]
    private var owners = PodOwnerResolver()
    private var nodes = NodeMetrics()
    private var volumes = VolumeMetrics()
    /// [cluster, namespace, quota, resource, type] → latest (time, value).
    private var quotas: [[String]: (time: Double, value: Double)] = [:]
    private(set) var skippedSamples = 0
    private var sampleCount = 0
    private var latest: Double?

    /// Adds one sample at `time` (unix seconds). Files and Prometheus answers both come through
    /// here, so the time is checked here: every later step turns it into an integer.
    mutating func add(_ sample: ExpositionSample, time: Double, line: Int) throws(ExpositionSyntaxError) {
        guard time.isFinite, time >= 0, time < Double(InputLimits.latestTime) else {
            throw ExpositionSyntaxError("\(sample.name) sample at time \(time) is outside 1970–2100 (not unix seconds)")
        }
        let labels = sample.labels
        let cluster = labels["cluster"] ?? ContainerID.defaultCluster
        func label(_ name: Substring) throws(ExpositionSyntaxError) -> String {
            guard let value = labels[name], !value.isEmpty else { throw ExpositionSyntaxError("\(sample.name) needs a non-empty \(name) label") }
            return value
        }
        func podContainer() throws(ExpositionSyntaxError) -> PodContainer? {
            let container = labels["container"] ?? ""
            if container.isEmpty || container == "POD" { return nil }
            return PodContainer(cluster: cluster, namespace: try label("namespace"), pod: try label("pod"), container: container)
        }
        /// A value of `kind` within `InputLimits`, or an error naming the metric.
        func checked(_ kind: ResourceKind) throws(ExpositionSyntaxError) -> Double {
            let result = kind == .cpu ? InputLimits.millicores(cores: sample.value).map { _ in sample.value } : InputLimits.bytes(sample.value).map { _ in sample.value }
            switch result {
            case .success(let value): return value
            case .failure(let rejection): throw ExpositionSyntaxError("\(sample.name) value \(rejection)")
            }
        }
        let timed = Timed(sample: Sample(time: time, value: sample.value), line: line)
        latest = max(latest ?? time, time)
        switch sample.name {
        case "container_cpu_usage_seconds_total":
            guard let key = try podContainer() else { skippedSamples += 1; return }
            cpuCounters[key, default: []].append(timed)
        case "container_memory_working_set_bytes":
            guard let key = try podContainer() else { skippedSamples += 1; return }
            if sample.value.isFinite { _ = try checked(.memory) }
            memory[key, default: []].append(timed)
        case "kube_pod_container_resource_requests", "kube_pod_container_resource_limits":
            guard let key = try podContainer() else { skippedSamples += 1; return }
            guard sample.value.isFinite, sample.value >= 0 else { throw ExpositionSyntaxError("\(sample.name) value \(sample.value) is not a non-negative number") }
            let resource: ResourceKind
            switch labels["resource"] {
            case "cpu": resource = .cpu
            case "memory": resource = .memory
            default: skippedSamples += 1; return
            }
            let value = resource == .cpu ? try checked(.cpu) * 1000 : try checked(.memory)
            let entry: Declared = sample.name.hasSuffix("requests") ? .request(resource, value) : .limit(resource, value)
            declared[key, default: []].append((Int64(time.rounded(.down)), entry))
        case "kube_pod_container_status_restarts_total":
            guard let key = try podContainer() else { skippedSamples += 1; return }
            restarts[key, default: []].append(timed)
        case "kube_pod_container_status_last_terminated_reason":
            guard labels["reason"] == "OOMKilled", let key = try podContainer() else { skippedSamples += 1; return }
            oomReason[key, default: []].append(timed)
        case "kube_pod_owner":
            owners.addPodOwner(cluster: cluster, namespace: try label("namespace"), pod: try label("pod"),
                               owner: .init(kind: WorkloadKind(rawValue: try label("owner_kind")), name: try label("owner_name")))
        case "kube_replicaset_owner":
            owners.addReplicaSetOwner(cluster: cluster, namespace: try label("namespace"), replicaSet: try label("replicaset"),
                                      owner: .init(kind: WorkloadKind(rawValue: try label("owner_kind")), name: try label("owner_name")))
        case "kube_job_owner":
            owners.addJobOwner(cluster: cluster, namespace: try label("namespace"), job: try label("job_name"),
                               owner: .init(kind: WorkloadKind(rawValue: try label("owner_kind")), name: try label("owner_name")))
        case "kube_node_status_allocatable", "kube_node_status_capacity":
            guard let resource = labels["resource"], resource == "cpu" || resource == "memory" else { skippedSamples += 1; return }
            nodes.amount(cluster: cluster, node: try label("node"), capacity: sample.name.hasSuffix("capacity"),
                         resource: resource, value: try checked(resource == "cpu" ? .cpu : .memory), time: time)
        case "kube_node_labels":
            nodes.labels(cluster: cluster, node: try label("node"), labels: labels, time: time)
        case "kube_persistentvolume_capacity_bytes", "kube_persistentvolume_status_phase", "kube_persistentvolume_claim_ref",
             "kube_persistentvolume_info":
            let value = sample.name == "kube_persistentvolume_capacity_bytes" ? try checked(.memory) : sample.value
            guard volumes.add(sample.name, labels: labels, cluster: cluster, value: value, time: time) else { skippedSamples += 1; return }
        case "kube_pod_spec_volumes_persistentvolumeclaims_info":
            volumes.addPodClaim(cluster: cluster, namespace: try label("namespace"), pod: try label("pod"), claim: try label("persistentvolumeclaim"))
        case "kube_resourcequota":
            guard let type = labels["type"], type == "hard" || type == "used" else { skippedSamples += 1; return }
            let resource = try label("resource")
            let key = [cluster, try label("namespace"), try label("resourcequota"), resource, type]
            // CPU in cores, memory and storage in bytes, anything else (pods, counts) as a plain count.
            let value = resource.hasSuffix("cpu") ? try checked(.cpu) : try checked(.memory)
            if (quotas[key]?.time ?? -.infinity) <= time { quotas[key] = (time, value) }
        case "kube_deployment_spec_replicas", "kube_statefulset_replicas", "kube_daemonset_status_desired_number_scheduled":
            let (kind, nameLabel): (WorkloadKind, Substring) = switch sample.name {
            case "kube_deployment_spec_replicas": (.deployment, "deployment")
            case "kube_statefulset_replicas": (.statefulSet, "statefulset")
            default: (.daemonSet, "daemonset")
            }
            let name = try label(nameLabel)
            let count: Int
            switch InputLimits.replicas(sample.value) {
            case .success(let value): count = value
            case .failure(let rejection): throw ExpositionSyntaxError("\(sample.name) value \(rejection)")
            }
            replicas[[cluster, try label("namespace"), kind.rawValue, name], default: []].append((Int64(time.rounded(.down)), count))
        default:
            skippedSamples += 1
            return
        }
        sampleCount += 1
    }

    /// Adds bucket summaries that Prometheus computed (`DownsampleQuery`) for one pod's container,
    /// checked as raw samples are: finite, within 1970–2100 and within `InputLimits`.
    mutating func add(buckets: [BucketStats], of metric: String, labels: [Substring: String], resource: ResourceKind) throws(ExpositionSyntaxError) {
        let cluster = labels["cluster"] ?? ContainerID.defaultCluster
        let container = labels["container"] ?? ""
        guard !container.isEmpty, container != "POD" else { skippedSamples += buckets.count; return }
        guard let namespace = labels["namespace"], !namespace.isEmpty, let pod = labels["pod"], !pod.isEmpty else {
            throw ExpositionSyntaxError("\(metric) needs non-empty namespace and pod labels")
        }
        for bucket in buckets {
            guard bucket.start >= 0, bucket.start < InputLimits.latestTime else {
                throw ExpositionSyntaxError("\(metric) bucket at time \(bucket.start) is outside 1970–2100 (not unix seconds)")
            }
            guard abs(bucket.mean) <= Double(InputLimits.maxBytes), abs(bucket.max) <= Double(InputLimits.maxBytes) else {
                throw ExpositionSyntaxError("\(metric) bucket at \(bucket.start): value \(bucket.max) is beyond any CPU or memory amount (over 2^50)")
            }
            latest = max(latest ?? Double(bucket.start), Double(bucket.start + 299))
        }
        let key = PodContainer(cluster: cluster, namespace: namespace, pod: pod, container: container)
        summarised[key, default: [:]][resource, default: []].append(contentsOf: buckets)
        sampleCount += buckets.reduce(0) { $0 + $1.count }
    }

    func batch(file: String) throws(ImportError) -> CollectedBatch {
        var copy = self
        return try copy.takeBatch(file: file)
    }

    /// The batch, as `batch(file:)`, handing over the summarised buckets: each container's are
    /// freed once merged, so a downsampled chunk's buckets are not held twice while it is stored
    /// (the state is left without them).
    mutating func takeBatch(file: String) throws(ImportError) -> CollectedBatch {
        var usage = SeriesAccumulator()
        func containerID(_ key: PodContainer) -> ContainerID {
            ContainerID(workload: owners.workload(cluster: key.cluster, namespace: key.namespace, pod: key.pod), container: key.container)
        }
        var counterKeys: Set<SeriesAccumulator.Key> = []
        for (key, samples) in cpuCounters {
            let seriesKey = SeriesAccumulator.Key(container: containerID(key), pod: key.pod, resource: .cpu)
            counterKeys.insert(seriesKey)
            for timed in samples { usage.add(seriesKey, timed.sample, line: timed.line) }
        }
        for (key, samples) in memory {
            let seriesKey = SeriesAccumulator.Key(container: containerID(key), pod: key.pod, resource: .memory)
            for timed in samples { usage.add(seriesKey, timed.sample, line: timed.line) }
        }
        // CPU counters (seconds) become rates in millicores before bucketing.
        var buckets = try usage.buckets(file: file) { key, samples throws(SeriesError) in
            guard counterKeys.contains(key) else { return samples }
            return try CounterRate.rates(samples).map { Sample(time: $0.time, value: $0.value * 1000) }
        }
        var runs: [UsageRun] = []
        if !summarised.isEmpty {
            var pods: [PodContainer: [ResourceKind: [BucketStats]]] = [:]
            swap(&pods, &summarised)
            runs = Self.merged(buckets, pods: &pods, containerID)
            buckets = []
        }
        var batch = CollectedBatch(
            source: file, usage: buckets, inventory: inventoryRecords(containerID), events: try events(containerID, file: file),
            rawSampleCount: sampleCount, watermark: latest.map { Int64($0.rounded(.down)) }, cluster: clusterObjects())
        batch.usageRuns = runs
        return batch
    }

    /// `buckets` plus the summarised `pods`, pods of one workload container merged bucket by bucket,
    /// as runs in the order `SeriesAccumulator` gives (container, resource, start).
    ///
    /// Merged one container and resource at a time on a grid of its buckets, not in a dictionary
    /// of every bucket (that dictionary was the largest allocation at a downsampled chunk's peak).
    /// Buckets of one start are merged in the same order as before (raw first, then pods by name),
    /// so the means come out bit for bit the same.
    /// `pods` is emptied, and each container's buckets are released as soon as they are merged.
    private static func merged(_ buckets: [UsageBucket], pods: inout [PodContainer: [ResourceKind: [BucketStats]]],
                               _ containerID: (PodContainer) -> ContainerID) -> [UsageRun] {
        struct Key: Hashable, Comparable {
            var container: ContainerID
            var resource: ResourceKind
            static func < (lhs: Key, rhs: Key) -> Bool { (lhs.container, lhs.resource) < (rhs.container, rhs.resource) }
        }
        // Per container and resource, the runs of buckets to merge, in merge order. Grouped by
        // container first: sorting a million buckets by (container, …) compares strings at every
        // step; sorting a thousand containers and then integers does not.
        var runs: [Key: [ArraySlice<BucketStats>]] = [:]
        var rawStats: [Key: [BucketStats]] = [:]
        for bucket in buckets { rawStats[Key(container: bucket.container, resource: bucket.resource), default: []].append(bucket.stats) }
        for (key, stats) in rawStats { runs[key] = [stats[...]] }
        for (pod, byResource) in pods.sorted(by: { $0.key < $1.key }) {
            let id = containerID(pod)
            for (resource, stats) in byResource { runs[Key(container: id, resource: resource), default: []].append(stats[...]) }
        }
        pods = [:]
        rawStats = [:]
        var result: [UsageRun] = []
        result.reserveCapacity(runs.count)
        var grid: [BucketStats?] = []
        for key in runs.keys.sorted() {
            guard let parts = runs.removeValue(forKey: key) else { continue }
            var low = Int64.max, high = Int64.min, aligned = true
            for part in parts {
                for bucket in part {
                    low = min(low, bucket.start)
                    high = max(high, bucket.start)
                }
            }
            for part in parts where aligned { aligned = part.allSatisfy { ($0.start - low) % Self.gridSeconds == 0 } }
            guard low <= high else { continue }
            let slots = (high - low) / Self.gridSeconds + 1
            guard aligned, slots <= Int64(Self.maxGridSlots) else {
                // Starts off the 5-minute grid or spread over years: merge by start instead.
                var merged: [Int64: BucketStats] = [:]
                for part in parts { for bucket in part { merged[bucket.start] = merged[bucket.start].map { $0.merged(with: bucket) } ?? bucket } }
                result.append(UsageRun(container: key.container, resource: key.resource, stats: merged.keys.sorted().map { merged[$0]! }))
                continue
            }
            grid.removeAll(keepingCapacity: true)
            grid.append(contentsOf: repeatElement(nil, count: Int(slots)))
            for part in parts {
                for bucket in part {
                    let slot = Int((bucket.start - low) / Self.gridSeconds)
                    grid[slot] = grid[slot].map { $0.merged(with: bucket) } ?? bucket
                }
            }
            var stats: [BucketStats] = []
            stats.reserveCapacity(grid.count)
            for case let bucket? in grid { stats.append(bucket) }
            result.append(UsageRun(container: key.container, resource: key.resource, stats: stats))
        }
        return result
    }

    /// The bucket step of the grid merge, and the most slots one container's grid may have (a
    /// year of 5-minute buckets; a downsampled chunk holds at most a week).
    private static let gridSeconds: Int64 = 300
    private static let maxGridSlots = 105_120

    /// Nodes and quotas as of their latest samples, when the input had any.
    private func clusterObjects() -> ClusterObjects? {
        let nodeRecords = nodes.records()
        let volumeRecords = volumes.records { cluster, namespace, pod in owners.workload(cluster: cluster, namespace: namespace, pod: pod) }
        guard !nodeRecords.isEmpty || !quotas.isEmpty || !volumeRecords.isEmpty else { return nil }
        var lines: [[String]: (hard: Double?, used: Double?)] = [:]
        for (key, entry) in quotas {
            let line = Array(key.prefix(4))
            if key[4] == "hard" { lines[line, default: (nil, nil)].hard = entry.value } else { lines[line, default: (nil, nil)].used = entry.value }
        }
        let quotaRecords = lines.compactMap { key, values -> ResourceQuotaRecord? in
            guard let hard = values.hard else { return nil }
            return ResourceQuotaRecord(namespace: key[1], name: key[2], resource: key[3], hard: quotaText(hard, resource: key[3]),
                                       used: values.used.map { quotaText($0, resource: key[3]) })
        }.sorted { ($0.namespace, $0.name, $0.resource) < ($1.namespace, $1.name, $1.resource) }
        let times = quotas.values.map(\.time) + [nodes.latest, volumes.latest].compactMap { $0 }
        // The cluster label of the objects (the first seen; one file describes one cluster).
        let cluster = quotas.keys.map { $0[0] }.min() ?? nodes.clusters.min() ?? volumes.clusters.min()
        return ClusterObjects(observedAt: Int64((times.max() ?? 0).rounded(.down)), nodes: nodeRecords, quotas: quotaRecords, volumes: volumeRecords,
                              cluster: cluster)
    }

    /// kube-state-metrics reports quota CPU in cores and memory in bytes; write them as quantities.
    private func quotaText(_ value: Double, resource: String) -> String {
        if resource.hasSuffix("cpu") { return CPUQuantity(cores: value).canonical }
        if resource.hasSuffix("memory") || resource.hasSuffix("storage") { return MemoryQuantity(number: value).canonical }
        return value == value.rounded() ? String(Int64(value)) : String(value)
    }

    private func inventoryRecords(_ containerID: (PodContainer) -> ContainerID) -> [InventoryRecord] {
        // Timeline of declared values per workload container, folded into states in time order.
        var timeline: [ContainerID: [(time: Int64, apply: (inout InventoryTracker.State) -> Void)]] = [:]
        for (key, entries) in declared {
            let id = containerID(key)
            for entry in entries {
                timeline[id, default: []].append((entry.time, { state in
                    switch entry.value {
                    case .request(.cpu, let value): state.requests.cpu = CPUQuantity(millicores: Int64(value.rounded(.up)))
                    case .request(.memory, let value): state.requests.memory = MemoryQuantity(bytes: Int64(value.rounded(.up)))
                    case .limit(.cpu, let value): state.limits.cpu = CPUQuantity(millicores: Int64(value.rounded(.up)))
                    case .limit(.memory, let value): state.limits.memory = MemoryQuantity(bytes: Int64(value.rounded(.up)))
                    }
                }))
            }
        }
        for id in Array(timeline.keys) {
            let workload = id.workload
            for entry in replicas[[workload.cluster, workload.namespace, workload.kind.rawValue, workload.name]] ?? [] {
                timeline[id, default: []].append((entry.time, { $0.replicas = entry.value }))
            }
        }
        var tracker = InventoryTracker()
        for (id, entries) in timeline {
            var state = InventoryTracker.State()
            let sorted = entries.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            for (index, entry) in sorted.enumerated() {
                entry.apply(&state)
                if index == sorted.count - 1 || sorted[index + 1].time != entry.time {
                    tracker.observe(id, at: entry.time, state)
                }
            }
        }
        return tracker.records()
    }

    /// Restart events where the restart counter rises; OOM kills where a restart coincides with
    /// last-terminated-reason OOMKilled = 1, or where that gauge turns to 1.
    private func events(_ containerID: (PodContainer) -> ContainerID, file: String) throws(ImportError) -> [ContainerEvent] {
        var result: Set<ContainerEvent> = []
        for key in Set(restarts.keys).union(oomReason.keys).sorted() {
            let id = containerID(key)
            let oom = (oomReason[key] ?? []).sorted { $0.sample.time < $1.sample.time }
            func oomFlag(at time: Double) -> Bool {
                oom.last(where: { $0.sample.time <= time })?.sample.value == 1
            }
            let counts = (restarts[key] ?? []).sorted { $0.sample.time < $1.sample.time }
            for timed in counts where !timed.sample.value.isFinite {
                throw ImportError(file: file, line: timed.line, reason: "restart count \(timed.sample.value) is not a number")
            }
            var restartTimes: Set<Int64> = []
            for (previous, next) in zip(counts, counts.dropFirst()) where next.sample.value > previous.sample.value {
                let time = Int64(next.sample.time.rounded(.down))
                restartTimes.insert(time)
                result.insert(ContainerEvent(container: id, pod: key.pod, time: time, kind: .restart))
                if oomFlag(at: next.sample.time) {
                    result.insert(ContainerEvent(container: id, pod: key.pod, time: time, kind: .oomKilled))
                }
            }
            var previous = 0.0
            for timed in oom {
                let time = Int64(timed.sample.time.rounded(.down))
                if timed.sample.value == 1 && previous != 1 && !restartTimes.contains(time) {
                    result.insert(ContainerEvent(container: id, pod: key.pod, time: time, kind: .oomKilled))
                }
                previous = timed.sample.value
            }
        }
        return result.sorted { ($0.time, $0.container, $0.pod, $0.kind.rawValue) < ($1.time, $1.container, $1.pod, $1.kind.rawValue) }
    }
}
