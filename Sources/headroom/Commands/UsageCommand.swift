import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomEngine
import HeadroomHistory

/// `headroom usage`: per container, CPU and memory P50/P95/max against requests.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Show CPU and memory P50/P95/max usage per container against its requests.",
        discussion: """
            Percentiles are over the 5-minute per-pod means in the window; max is the highest sample. A resource is marked over-provisioned when its P95 is below --threshold × request. The window ends at the newest stored bucket unless --end is given.

            Examples:
              headroom usage
              headroom usage --since 14d --namespace production
              headroom usage -o yaml
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Window length, such as 7d, 36h or 2w.")
    var since: String = "7d"

    @Option(help: "Window end as unix seconds. Default: the newest stored bucket.")
    var end: Int64?

    @Option(help: "Only these namespaces (repeatable).")
    var namespace: [String] = []

    @Option(help: "Mark a resource over-provisioned when P95 < threshold × request.")
    var threshold: Double = UsageProfile.defaultOverProvisionedBelow

    func validate() throws {
        do { _ = try DurationParser.seconds(since) } catch { throw ValidationError(error.description) }
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1], got \(threshold)") }
    }

    func run() async throws {
        let engine = try await cluster.engine(store)
        let report = try await EngineCall.run {
            try await engine.usage(sinceSeconds: try DurationParser.seconds(since), end: end, namespaces: namespace, threshold: threshold)
        }
        ClusterOptions.reportWarnings(engine)
        print(try Render.output(report, format: output.format) { report.table }, terminator: "")
    }
}

extension UsageReport {
    var table: String {
        var table = TextTable(headers: ["NAMESPACE", "WORKLOAD", "CONTAINER", "PODS", "CPU REQ", "P50", "P95", "MAX",
                                        "MEM REQ", "P50", "P95", "MAX", "OOM", "NOTE"])
        table.rightAligned = Set(3...12)
        for profile in containers {
            let cpu = profile.cpu
            let memory = profile.memory
            var notes: [String] = []
            if profile.idle { notes.append("idle") }
            if !profile.overProvisioned.isEmpty {
                notes.append("over-provisioned: " + profile.overProvisioned.map(\.rawValue).joined(separator: ", "))
            }
            if profile.oomKills > 0 { notes.append("OOM-killed") }
            table.rows.append([
                profile.container.workload.namespace, profile.container.workload.name, profile.container.container,
                profile.replicas.map(String.init) ?? "-",
                millicores(cpu?.request), millicores(cpu?.p50), millicores(cpu?.p95), millicores(cpu?.max),
                mebibytes(memory?.request), mebibytes(memory?.p50), mebibytes(memory?.p95), mebibytes(memory?.max),
                String(profile.oomKills), notes.joined(separator: "; "),
            ])
        }
        let days = Double(windowEnd - windowStart) / 86_400
        let flagged = containers.filter { !$0.overProvisioned.isEmpty }.count
        let idle = containers.filter(\.idle).count
        let oomKilled = containers.filter { $0.oomKills > 0 }.count
        return """
            Usage per pod over \(String(format: "%g", days)) days ending \(isoTime(windowEnd)) (percentiles of 5-minute means)
            \(table.render())
            \(flagged) of \(containers.count) containers over-provisioned (P95 below \(Int(threshold * 100))% of request), \(idle) idle (CPU P95 under \(Int(UsageProfile.idleBelowMillicores))m), \(oomKilled) OOM-killed.

            """
    }

    private func millicores(_ value: Double?) -> String {
        value.map { "\(Int($0.rounded()))m" } ?? "-"
    }

    private func mebibytes(_ value: Double?) -> String {
        value.map { "\(Int(($0 / 1_048_576).rounded()))Mi" } ?? "-"
    }
}

func isoTime(_ unixSeconds: Int64) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
}
