import Foundation
import HeadroomCore

/// Writes demo samples in Headroom's usage CSV format (see `CSVUsageImporter`), buffered.
public struct DemoCSVWriter {
    public static let header = "timestamp,cluster,namespace,kind,workload,container,pod,cpu_cores,memory_bytes,"
        + "cpu_request_cores,memory_request_bytes,cpu_limit_cores,memory_limit_bytes,replicas,node_pool,zone,"
        + "hpa_min_replicas,hpa_max_replicas,hpa_target_cpu_percent,event,labels"

    /// Generates the whole history into `path`, returning the number of rows written.
    @discardableResult
    public static func write(_ generator: DemoClusterGenerator, to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = header + "\n"
        var rows = 0
        try generator.generate { sample in
            appendRow(sample, to: &buffer)
            rows += 1
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        return rows
    }

    /// Renders the whole history as one string (for tests on small histories).
    public static func render(_ generator: DemoClusterGenerator) -> String {
        var buffer = header + "\n"
        generator.generate { appendRow($0, to: &buffer) }
        return buffer
    }

    static func appendRow(_ sample: DemoSample, to buffer: inout String) {
        let spec = sample.workload
        buffer += String(sample.time)
        buffer += ",\(DemoCluster.clusterName),\(spec.environment),\(spec.kind.rawValue),\(spec.name),\(spec.container),\(sample.pod),"
        buffer += fixed(sample.cpuMillicores / 1000, decimals: 4)
        buffer += ","
        buffer += String(Int64(sample.memoryBytes.rounded()))
        buffer += ","
        buffer += spec.request.cpu.map { fixed($0.cores, decimals: 3) } ?? ""
        buffer += ","
        buffer += spec.request.memory.map { String($0.bytes) } ?? ""
        buffer += ","
        buffer += spec.limit.cpu.map { fixed($0.cores, decimals: 3) } ?? ""
        buffer += ","
        buffer += spec.limit.memory.map { String($0.bytes) } ?? ""
        buffer += ",\(sample.replicas),\(spec.nodePool),\(sample.zone),"
        if let target = spec.hpaTargetCPUPercent {
            buffer += "\(spec.minReplicas),\(spec.maxReplicas),\(target)"
        } else {
            buffer += ",,"
        }
        buffer += sample.oomKilled ? ",oom_killed," : ",,"
        buffer += "app=\(spec.name);environment=\(spec.environment);team=\(spec.team)\n"
    }

    /// Formats a non-negative value with a fixed number of decimals, without Foundation's
    /// locale-dependent formatting.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((value * Double(scale)).rounded())
        let whole = scaled / scale
        let fraction = String(scaled % scale)
        return "\(whole).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }
}
