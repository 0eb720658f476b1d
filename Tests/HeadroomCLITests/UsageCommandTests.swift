import Foundation
import HeadroomTesting
import Testing
import Yams

@Suite struct UsageCommandTests {
    /// One over-provisioned workload (P95 100m of a 500m request) and one busy one.
    let csv = """
        timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes,replicas
        0,prod,Deployment,idle,app,0.1,900,0.5,1000,2
        300,prod,Deployment,idle,app,0.1,900,0.5,1000,2
        0,prod,Deployment,busy,app,0.45,900,0.5,1000,3
        300,prod,Deployment,busy,app,0.48,950,0.5,1000,3

        """

    struct Report: Decodable {
        struct Profile: Decodable {
            struct Container: Decodable {
                struct Workload: Decodable { var name: String }
                var workload: Workload
            }
            struct Resource: Decodable { var p95: Double; var request: Double? }
            var container: Container
            var cpu: Resource?
            var overProvisioned: [String]
            var replicas: Int?
        }
        var containers: [Profile]
    }

    func imported() async throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let file = try directory.write("u.csv", csv)
        let store = directory.file("h.sqlite")
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["import", "--db", store, file])
        #expect(result.status == 0, "\(result.stderr)")
        return (directory, store)
    }

    @Test("JSON output flags the over-provisioned workload only")
    func json() async throws {
        let (directory, store) = try await imported()
        defer { directory.remove() }
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["usage", "--db", store, "-o", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        let byName = Dictionary(uniqueKeysWithValues: report.containers.map { ($0.container.workload.name, $0) })
        #expect(byName["idle"]?.overProvisioned == ["cpu"])
        #expect(byName["busy"]?.overProvisioned == [])
        #expect(byName["idle"]?.cpu?.p95 == 100)
        #expect(byName["idle"]?.cpu?.request == 500)
        #expect(byName["busy"]?.replicas == 3)
    }

    @Test("YAML output carries the same report, and the table marks over-provisioning")
    func yamlAndTable() async throws {
        let (directory, store) = try await imported()
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        let yaml = try await ChildProcess.run(binary, ["usage", "--db", store, "-o", "yaml"])
        let report = try YAMLDecoder().decode(Report.self, from: yaml.stdout)
        #expect(report.containers.count == 2)
        let table = try await ChildProcess.run(binary, ["usage", "--db", store])
        let idleLine = table.stdout.split(separator: "\n").first { $0.contains(" idle ") }
        #expect(idleLine?.contains("over-provisioned: cpu") == true)
        #expect(table.stdout.contains("1 of 2 containers over-provisioned (P95 below 50% of request), 0 idle (CPU P95 under 5m), 0 OOM-killed."))
    }
}
