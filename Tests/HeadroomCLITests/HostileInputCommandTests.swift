import Foundation
import HeadroomTesting
import Testing

/// Inputs that used to crash `headroom` or abort it for every workload: each now fails with the
/// file, line and reason and leaves the store as it was, or is advised with the rest.
@Suite struct HostileInputCommandTests {
    struct Digests: Decodable {
        struct Table: Decodable, Equatable { var table: String; var rows: Int; var digest: String }
        var tables: [Table]
    }

    static let header = "timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes,replicas,hpa_min_replicas,hpa_max_replicas,hpa_target_cpu_percent"

    /// Two days of a web Deployment (with `hpa`: min,max,target) and an api Deployment requesting `apiCPU` cores.
    static func csv(hpa: (min: Int, max: Int, target: Int), apiCPU: String) -> String {
        var text = header + "\n"
        for step in 0..<576 {
            let time = 1_795_300_000 + step * 300
            text += "\(time),shop,Deployment,web,web,0.\(step % 7 + 1),100000000,0.5,536870912,3,\(hpa.min),\(hpa.max),\(hpa.target)\n"
            text += "\(time),shop,Deployment,api,api,0.2,100000000,\(apiCPU),536870912,2,,,\n"
        }
        return text
    }

    static func run(_ arguments: [String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(try ChildProcess.headroomBinary(), arguments)
    }

    static func digests(_ store: String) async throws -> [Digests.Table] {
        try JSONDecoder().decode(Digests.self, from: Data(try await run(["db", "stats", "--db", store, "-o", "json"]).stdout.utf8)).tables
    }

    @Test("a NaN node capacity and a replica count of 10^17 fail the import at their line; the store keeps what it had", arguments: [
        ("bad.prom", "kube_node_status_capacity{node=\"n1\",resource=\"cpu\",unit=\"core\"} NaN 1795300000000\n",
         ":1: kube_node_status_capacity value nan is not a finite number"),
        ("bad.csv", "\(header)\n1795300000,shop,Deployment,web,web,0.1,100000000,0.5,536870912,99999999999999999,,,\n",
         ":2: column replicas: 99999999999999999 is more than 100000"),
    ])
    func refusedImports(name: String, contents: String, message: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = directory.file("h.sqlite"), good = directory.file("good.csv"), bad = directory.file(name)
        try Self.csv(hpa: (1, 5, 70), apiCPU: "0.5").write(toFile: good, atomically: true, encoding: .utf8)
        try contents.write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(try await Self.run(["import", "--db", store, good]).status == 0)
        let before = try await Self.digests(store)
        let result = try await Self.run(["import", "--db", store, bad])
        #expect(result.status == 1 && result.stderr.contains("headroom: \(bad)\(message)"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(try await Self.digests(store) == before)
    }

    /// Imports `csv` into a new store and runs `advise -o json` on it.
    static func advise(_ csv: String, in directory: TemporaryDirectory) async throws -> (status: Int32, json: [String: Any], stderr: String) {
        let store = directory.file("h.sqlite"), file = directory.file("u.csv")
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await run(["import", "--db", store, file]).status == 0)
        let result = try await run(["advise", "--db", store, "-o", "json"])
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (result.status, json, result.stderr)
    }

    static func notes(_ json: [String: Any], workload: String) -> [String] {
        let rows = json["containers"] as? [[String: Any]] ?? []
        let row = rows.first { (($0["container"] as? [String: Any])?["workload"] as? [String: Any])?["name"] as? String == workload }
        return row?["notes"] as? [String] ?? []
    }

    @Test("a pod larger than every node type is named in its pool's plan; every container is still advised")
    func oversizedPod() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (status, json, stderr) = try await Self.advise(Self.csv(hpa: (1, 5, 70), apiCPU: "18.87"), in: directory)
        #expect(status == 0, "\(stderr)")
        #expect((json["containers"] as? [Any])?.count == 2)
        let pool = try #require((json["pools"] as? [[String: Any]])?.first)
        #expect(pool["current"] != nil && pool["recommended"] != nil)
        let unplaced = pool["unplacedPods"] as? [String] ?? []
        #expect(unplaced == ["shop/Deployment/api/api at its current requests (18870m CPU, 512Mi) is larger than every node type: left out of the current plan"])
    }

    @Test("an HPA with minReplicas 0 or a 0 % target is advised with the reason, and the other workloads as usual", arguments: [
        ((0, 5, 70), "minReplicas 0 (scale to zero) replayed from 1 pod"),
        ((1, 5, 0), "which Kubernetes does not accept (the target must be above 0): not replayed"),
    ])
    func unusualHPAs(hpa: (Int, Int, Int), phrase: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (status, json, stderr) = try await Self.advise(Self.csv(hpa: hpa, apiCPU: "0.5"), in: directory)
        #expect(status == 0 && !stderr.contains("Fatal error"), "\(stderr)")
        #expect(Self.notes(json, workload: "web").contains { $0.contains(phrase) }, "\(Self.notes(json, workload: "web"))")
        #expect((json["containers"] as? [Any])?.count == 2)
    }

    @Test("--since 999999999999y is a usage error naming the flag's value, not a trap")
    func hugeDuration() async throws {
        let result = try await Self.run(["advise", "--since", "999999999999y"])
        #expect(result.status == 2 && result.stderr.contains("invalid duration \"999999999999y\": longer than 100 years"), "\(result.stderr)")
    }
}
