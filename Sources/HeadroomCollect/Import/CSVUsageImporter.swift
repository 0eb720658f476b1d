import HeadroomCore

/// Reads usage CSV: one row per container (optionally per pod) per sample time.
///
/// Required header columns: `timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes`
/// (timestamps in unix seconds; either usage value may be empty for "not measured").
/// Optional columns: `cluster`, `pod`, `cpu_request_cores`, `memory_request_bytes`,
/// `cpu_limit_cores`, `memory_limit_bytes`, `replicas`, `node_pool`, `zone`, `hpa_min_replicas`,
/// `hpa_max_replicas`, `hpa_target_cpu_percent`, `labels` (`key=value;key=value`: the workload's
/// pod labels, for cost grouping), and `event` (`oom_killed` or `restart`, for the
/// row's pod at that time). Any other column is an error, so a misspelt one is not ignored.
public struct CSVUsageImporter: Sendable {
    public static let requiredColumns = ["timestamp", "namespace", "kind", "workload", "container", "cpu_cores", "memory_bytes"]
    public static let optionalColumns = [
        "cluster", "pod", "cpu_request_cores", "memory_request_bytes", "cpu_limit_cores", "memory_limit_bytes",
        "replicas", "node_pool", "zone", "hpa_min_replicas", "hpa_max_replicas", "hpa_target_cpu_percent", "event", "labels",
    ]

    public init() {}

    /// Parses `text` (the contents of `file`, which names it in errors) into a batch.
    public func parse(_ text: String, file: String) throws(ImportError) -> CollectedBatch {
        var reader = CSVLineReader(text)
        guard let header = reader.next() else { throw ImportError(file: file, line: nil, reason: "empty file: expected a header line") }
        let columns = try ColumnMap(header: header.fields, file: file)
        var usage = SeriesAccumulator()
        var inventory = InventoryTracker()
        var events: [ContainerEvent] = []
        var latest: Int64?
        while let row = reader.next() {
            if row.fields.count == 1 && row.fields[0].isEmpty { continue }
            let line = row.number
            func fail(_ reason: String) -> ImportError { ImportError(file: file, line: line, reason: reason) }
            guard row.fields.count == columns.count else {
                throw fail("expected \(columns.count) fields, found \(row.fields.count)")
            }
            let field = { (name: String) -> Substring? in columns.index(name).map { row.fields[$0] } }
            let time = try parseTimestamp(field("timestamp")!, fail: fail)
            let identity = try columns.identity(row.fields, fail: fail)
            let pod = field("pod").map(String.init) ?? ""
            if let cpu = try optionalCores(field("cpu_cores"), column: "cpu_cores", fail: fail) {
                usage.add(.init(container: identity, pod: pod, resource: .cpu), Sample(time: Double(time), value: cpu * 1000), line: line)
            }
            let memory = try optionalBytes(field("memory_bytes"), column: "memory_bytes", fail: fail)
            if let memory {
                usage.add(.init(container: identity, pod: pod, resource: .memory), Sample(time: Double(time), value: memory), line: line)
            }
            if columns.hasDeclaredState {
                inventory.observe(identity, at: time, try declaredState(field, fail: fail))
            }
            if let raw = field("event"), !raw.isEmpty {
                guard let kind = Self.eventKinds[String(raw)] else {
                    throw fail("column event: unknown event \"\(raw)\" (expected oom_killed or restart)")
                }
                events.append(ContainerEvent(container: identity, pod: pod, time: time, kind: kind, memoryBytes: memory.map { Int64($0) }))
            }
            latest = max(latest ?? time, time)
        }
        let buckets = try usage.buckets(file: file)
        return CollectedBatch(source: file, usage: buckets, inventory: inventory.records(), events: events,
                              rawSampleCount: usage.count, watermark: latest)
    }

    private static let eventKinds: [String: ContainerEvent.Kind] = ["oom_killed": .oomKilled, "restart": .restart]

    private func declaredState(_ field: (String) -> Substring?, fail: (String) -> ImportError) throws(ImportError) -> InventoryTracker.State {
        var state = InventoryTracker.State()
        if let cores = try optionalCores(field("cpu_request_cores"), column: "cpu_request_cores", fail: fail) {
            state.requests.cpu = CPUQuantity(cores: cores)
        }
        if let bytes = try optionalBytes(field("memory_request_bytes"), column: "memory_request_bytes", fail: fail) {
            state.requests.memory = MemoryQuantity(bytes: Int64(bytes.rounded(.up)))
        }
        if let cores = try optionalCores(field("cpu_limit_cores"), column: "cpu_limit_cores", fail: fail) {
            state.limits.cpu = CPUQuantity(cores: cores)
        }
        if let bytes = try optionalBytes(field("memory_limit_bytes"), column: "memory_limit_bytes", fail: fail) {
            state.limits.memory = MemoryQuantity(bytes: Int64(bytes.rounded(.up)))
        }
        state.replicas = try optionalCount(field("replicas"), column: "replicas", fail: fail)
        state.nodePool = field("node_pool").flatMap { $0.isEmpty ? nil : String($0) }
        state.zone = field("zone").flatMap { $0.isEmpty ? nil : String($0) }
        if let min = try optionalCount(field("hpa_min_replicas"), column: "hpa_min_replicas", fail: fail),
           let max = try optionalCount(field("hpa_max_replicas"), column: "hpa_max_replicas", fail: fail) {
            guard min <= max else { throw fail("hpa_min_replicas \(min) is above hpa_max_replicas \(max)") }
            state.hpa = HPASpec(minReplicas: min, maxReplicas: max,
                                targetCPUUtilizationPercent: try optionalCount(field("hpa_target_cpu_percent"), column: "hpa_target_cpu_percent",
                                                                               maximum: 10_000, fail: fail))
        }
        if let raw = field("labels"), !raw.isEmpty {
            for pair in raw.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, !parts[0].isEmpty else { throw fail("column labels: \"\(pair)\" is not key=value (pairs separated by ;)") }
                state.labels[String(parts[0])] = String(parts[1])
            }
        }
        return state
    }

    private func parseTimestamp(_ raw: Substring, fail: (String) -> ImportError) throws(ImportError) -> Int64 {
        guard let value = Double(raw), value.isFinite else { throw fail("column timestamp: \"\(raw)\" is not a unix time in seconds") }
        guard value < 100_000_000_000 else { throw fail("column timestamp: \(raw) looks like milliseconds; expected unix seconds") }
        guard value >= 0 else { throw fail("column timestamp: \(raw) is negative") }
        guard value < Double(InputLimits.latestTime) else { throw fail("column timestamp: \(raw) is after 2100; expected unix seconds") }
        return Int64(value.rounded(.down))
    }

    private func optionalNumber(_ raw: Substring?, column: String, fail: (String) -> ImportError) throws(ImportError) -> Double? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = Double(raw) else { throw fail("column \(column): \"\(raw)\" is not a number") }
        guard value.isFinite else { throw fail("column \(column): \(raw) is not a finite number") }
        guard value >= 0 else { throw fail("column \(column): \(raw) is negative") }
        return value
    }

    /// Cores, at most `InputLimits.maxMillicores`.
    private func optionalCores(_ raw: Substring?, column: String, fail: (String) -> ImportError) throws(ImportError) -> Double? {
        guard let value = try optionalNumber(raw, column: column, fail: fail) else { return nil }
        if case .failure(let rejection) = InputLimits.millicores(cores: value) { throw fail("column \(column): \(rejection)") }
        return value
    }

    /// Bytes, at most `InputLimits.maxBytes`.
    private func optionalBytes(_ raw: Substring?, column: String, fail: (String) -> ImportError) throws(ImportError) -> Double? {
        guard let value = try optionalNumber(raw, column: column, fail: fail) else { return nil }
        if case .failure(let rejection) = InputLimits.bytes(value) { throw fail("column \(column): \(rejection)") }
        return value
    }

    /// A count of pods (or a percentage with `maximum`), at most `InputLimits.maxReplicas`.
    private func optionalCount(_ raw: Substring?, column: String, maximum: Int = InputLimits.maxReplicas,
                               fail: (String) -> ImportError) throws(ImportError) -> Int? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = Int(raw), value >= 0 else { throw fail("column \(column): \"\(raw)\" is not a non-negative integer") }
        guard value <= maximum else { throw fail("column \(column): \(raw) is more than \(maximum)") }
        return value
    }
}

/// Where each known column sits in a file's header.
private struct ColumnMap {
    private let positions: [String: Int]
    let count: Int
    let hasDeclaredState: Bool

    init(header: [Substring], file: String) throws(ImportError) {
        count = header.count
        var positions: [String: Int] = [:]
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingSpaces
            guard CSVUsageImporter.requiredColumns.contains(name) || CSVUsageImporter.optionalColumns.contains(name) else {
                throw ImportError(file: file, line: 1, reason: "unknown column \"\(name)\" (known: \((CSVUsageImporter.requiredColumns + CSVUsageImporter.optionalColumns).joined(separator: ", ")))")
            }
            guard positions[name] == nil else { throw ImportError(file: file, line: 1, reason: "column \"\(name)\" appears twice") }
            positions[name] = index
        }
        self.positions = positions
        let missing = CSVUsageImporter.requiredColumns.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw ImportError(file: file, line: 1, reason: "missing column(s) \(missing.joined(separator: ", ")); the header must include \(CSVUsageImporter.requiredColumns.joined(separator: ","))")
        }
        hasDeclaredState = ["cpu_request_cores", "memory_request_bytes", "cpu_limit_cores", "memory_limit_bytes", "replicas",
                            "node_pool", "zone", "hpa_min_replicas", "labels"].contains { positions[$0] != nil }
    }

    func index(_ name: String) -> Int? { positions[name] }

    func identity(_ fields: [Substring], fail: (String) -> ImportError) throws(ImportError) -> ContainerID {
        func required(_ name: String) throws(ImportError) -> String {
            let value = fields[positions[name]!]
            guard !value.isEmpty else { throw fail("column \(name) is empty") }
            return String(value)
        }
        let cluster = positions["cluster"].map { String(fields[$0]) }.flatMap { $0.isEmpty ? nil : $0 } ?? ContainerID.defaultCluster
        return ContainerID(cluster: cluster, namespace: try required("namespace"), kind: WorkloadKind(rawValue: try required("kind")),
                           workload: try required("workload"), container: try required("container"))
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\u{FEFF}" }).reversed().drop(while: { $0 == " " || $0 == "\r" }).reversed())
    }
}
