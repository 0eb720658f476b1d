import HeadroomCollect
import HeadroomCore
import HeadroomTesting
import Testing

@Suite struct CSVUsageImporterTests {
    let header = "timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes"
    let api = ContainerID(namespace: "prod", kind: .deployment, workload: "api", container: "app")

    @Test("rows become per-container 5-minute buckets in millicores and bytes")
    func buckets() throws {
        let csv = """
            \(header)
            0,prod,Deployment,api,app,0.1,1000
            60,prod,Deployment,api,app,0.3,3000
            300,prod,Deployment,api,app,0.2,
            """
        let batch = try CSVUsageImporter().parse(csv, file: "u.csv")
        let cpu = batch.usage.filter { $0.resource == .cpu }
        #expect(cpu.map(\.stats.start) == [0, 300])
        #expect(approximately(cpu[0].stats.mean, 200, tolerance: 1e-9, because: "(100 + 300) / 2 in binary floating point"))
        #expect(cpu[0].stats.max == 300)
        let memory = batch.usage.filter { $0.resource == .memory }
        #expect(memory.count == 1 && memory[0].stats.mean == 2000 && memory[0].stats.max == 3000)
        #expect(batch.usage.allSatisfy { $0.container == api })
        #expect(batch.rawSampleCount == 5)
        #expect(batch.watermark == 300)
    }

    @Test("pods of one workload combine: mean over all samples, max over all pods")
    func pods() throws {
        let csv = """
            timestamp,namespace,kind,workload,container,pod,cpu_cores,memory_bytes
            0,prod,Deployment,api,app,api-1,0.1,100
            0,prod,Deployment,api,app,api-2,0.5,300
            """
        let batch = try CSVUsageImporter().parse(csv, file: "u.csv")
        let memory = try #require(batch.usage.first { $0.resource == .memory })
        #expect(memory.stats.count == 2 && memory.stats.mean == 200 && memory.stats.max == 300)
    }

    @Test("declared state becomes inventory records at the first observation and each change")
    func inventory() throws {
        let csv = """
            timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes,replicas,node_pool,zone,hpa_min_replicas,hpa_max_replicas,hpa_target_cpu_percent
            0,prod,Deployment,api,app,0.1,100,0.25,536870912,2,backend,us-east-1a,2,4,70
            300,prod,Deployment,api,app,0.1,100,0.25,536870912,2,backend,us-east-1a,2,4,70
            600,prod,Deployment,api,app,0.1,100,0.25,536870912,3,backend,us-east-1a,2,4,70
            """
        let records = try CSVUsageImporter().parse(csv, file: "u.csv").inventory
        #expect(records.map(\.observedAt) == [0, 600])
        #expect(records.map(\.replicas) == [2, 3])
        #expect(records[0].requests.cpu?.canonical == "250m")
        #expect(records[0].requests.memory?.canonical == "512Mi")
        #expect(records[0].hpa == HPASpec(minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercent: 70))
        #expect(records[0].nodePool == "backend" && records[0].zone == "us-east-1a")
    }

    @Test("the labels column becomes the workload's labels; a pair without = is an error at its line")
    func labels() throws {
        let csv = """
            \(header),replicas,labels
            0,prod,Deployment,api,app,0.1,100,2,team=payments;app=api
            """
        let batch = try CSVUsageImporter().parse(csv, file: "u.csv")
        #expect(batch.inventory.first?.labels == ["team": "payments", "app": "api"])
        do {
            _ = try CSVUsageImporter().parse("\(header),labels\n0,prod,Deployment,api,app,0.1,100,team\n", file: "u.csv")
            Issue.record("accepted a label without a value")
        } catch {
            #expect(error.description == "u.csv:2: column labels: \"team\" is not key=value (pairs separated by ;)")
        }
    }

    @Test("event rows record OOM kills with the memory at the time")
    func events() throws {
        let csv = """
            timestamp,namespace,kind,workload,container,pod,cpu_cores,memory_bytes,event
            0,prod,Deployment,api,app,api-1,0.1,536870912,oom_killed
            30,prod,Deployment,api,app,api-1,0.1,100,
            """
        let events = try CSVUsageImporter().parse(csv, file: "u.csv").events
        #expect(events == [ContainerEvent(container: api, pod: "api-1", time: 0, kind: .oomKilled, memoryBytes: 536_870_912)])
    }

    @Test("quoted fields and CRLF line endings are read")
    func quoting() throws {
        let csv = "\(header),node_pool\r\n0,prod,Deployment,api,app,0.1,100,\"pool, \"\"a\"\"\"\r\n"
        let batch = try CSVUsageImporter().parse(csv, file: "u.csv")
        #expect(batch.inventory.first?.nodePool == "pool, \"a\"")
    }

    @Test("a malformed line is reported as file:line: reason", arguments: [
        ("0,prod,Deployment,api,app,abc,100", "u.csv:3: column cpu_cores: \"abc\" is not a number"),
        ("0,prod,Deployment,api,app,0.1", "u.csv:3: expected 7 fields, found 6"),
        ("0,prod,Deployment,api,app,NaN,100", "u.csv:3: column cpu_cores: NaN is not a finite number"),
        ("0,prod,Deployment,api,app,-1,100", "u.csv:3: column cpu_cores: -1 is negative"),
        ("1700000000000,prod,Deployment,api,app,1,100", "u.csv:3: column timestamp: 1700000000000 looks like milliseconds; expected unix seconds"),
        ("x,prod,Deployment,api,app,1,100", "u.csv:3: column timestamp: \"x\" is not a unix time in seconds"),
        (",prod,Deployment,api,app,1,100", "u.csv:3: column timestamp: \"\" is not a unix time in seconds"),
        ("0,,Deployment,api,app,1,100", "u.csv:3: column namespace is empty"),
        ("0,prod,Deployment,api,app,0.2,100", "u.csv:3: cpu of prod/Deployment/api/app: two different values (100.0 and 200.0) for one timestamp at t=0"),
    ])
    func malformed(line: String, message: String) {
        let csv = "\(header)\n0,prod,Deployment,api,app,0.1,100\n\(line)\n"
        #expect(throws: (any Error).self) { try CSVUsageImporter().parse(csv, file: "u.csv") }
        do {
            _ = try CSVUsageImporter().parse(csv, file: "u.csv")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("header problems are reported on line 1", arguments: [
        ("timestamp,namespace,kind,workload,container,cpu_cores", "missing column(s) memory_bytes"),
        ("timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes,cpu_requests", "unknown column \"cpu_requests\""),
        ("timestamp,timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes", "column \"timestamp\" appears twice"),
    ])
    func badHeader(headerLine: String, reason: String) {
        do {
            _ = try CSVUsageImporter().parse("\(headerLine)\n", file: "u.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 1)
            #expect(error.reason.hasPrefix(reason))
        }
    }

    @Test("an empty file is an error")
    func empty() {
        #expect(throws: ImportError(file: "u.csv", line: nil, reason: "empty file: expected a header line")) {
            try CSVUsageImporter().parse("", file: "u.csv")
        }
    }
}
