@testable import HeadroomCollect
import HeadroomCore
import HeadroomTesting
import Testing

@Suite struct ExpositionImporterTests {
    let payment = ContainerID(namespace: "prod", kind: .deployment, workload: "payment", container: "app")

    /// Two pods of a Deployment (via ReplicaSet owners), a counter reset, requests and an OOM kill.
    let openMetrics = """
        # TYPE container_cpu_usage_seconds_total counter
        container_cpu_usage_seconds_total{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app"} 10 0
        container_cpu_usage_seconds_total{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app"} 40 60
        container_cpu_usage_seconds_total{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app"} 6 120
        container_cpu_usage_seconds_total{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="POD"} 1 60
        container_memory_working_set_bytes{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app"} 1000 60
        container_memory_working_set_bytes{namespace="prod",pod="payment-6c9f8d7b5-fghij",container="app"} 3000 60
        kube_pod_owner{namespace="prod",pod="payment-6c9f8d7b5-abcde",owner_kind="ReplicaSet",owner_name="payment-6c9f8d7b5"} 1 60
        kube_replicaset_owner{namespace="prod",replicaset="payment-6c9f8d7b5",owner_kind="Deployment",owner_name="payment"} 1 60
        kube_pod_container_resource_requests{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app",resource="cpu",unit="core"} 0.25 60
        kube_pod_container_resource_requests{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app",resource="memory",unit="byte"} 536870912 60
        kube_pod_container_resource_limits{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app",resource="memory",unit="byte"} 536870912 60
        kube_deployment_spec_replicas{namespace="prod",deployment="payment"} 2 60
        kube_pod_container_status_restarts_total{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app"} 0 60
        kube_pod_container_status_restarts_total{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app"} 1 120
        kube_pod_container_status_last_terminated_reason{namespace="prod",pod="payment-6c9f8d7b5-abcde",container="app",reason="OOMKilled"} 1 120
        go_goroutines 12 60
        # EOF
        """

    @Test("a file ending in # EOF is OpenMetrics; others are Prometheus text")
    func detection() {
        #expect(ExpositionImporter.detectFormat(openMetrics) == .openMetrics)
        #expect(ExpositionImporter.detectFormat("up 1 1000\n") == .prometheusText)
    }

    @Test("CPU counters become millicore rates with resets handled, rolled up to the Deployment")
    func cpuRates() throws {
        let batch = try ExpositionImporter().parse(openMetrics, file: "m.om")
        let cpu = batch.usage.filter { $0.resource == .cpu }
        #expect(cpu.count == 1)
        #expect(cpu[0].container == payment)
        // (40 − 10) / 60 s = 0.5 cores; after the reset 6 / 60 s = 0.1 cores; both in bucket 0.
        #expect(cpu[0].stats.count == 2)
        #expect(approximately(cpu[0].stats.mean, 300, tolerance: 1e-9, because: "(500 + 100) / 2 millicores"))
        #expect(approximately(cpu[0].stats.max, 500, tolerance: 1e-9, because: "30 / 60 × 1000"))
    }

    @Test("memory of both pods lands on the workload container")
    func memory() throws {
        let batch = try ExpositionImporter().parse(openMetrics, file: "m.om")
        let memory = try #require(batch.usage.first { $0.resource == .memory })
        #expect(memory.container == payment)
        #expect(memory.stats.mean == 2000 && memory.stats.max == 3000)
    }

    @Test("requests, limits and replicas become inventory")
    func inventory() throws {
        let records = try ExpositionImporter().parse(openMetrics, file: "m.om").inventory
        #expect(records.count == 1)
        #expect(records[0].container == payment)
        #expect(records[0].requests == ResourceAmounts(cpu: CPUQuantity(millicores: 250), memory: MemoryQuantity(bytes: 536_870_912)))
        #expect(records[0].limits.memory?.canonical == "512Mi")
        #expect(records[0].replicas == 2)
    }

    @Test("a restart while the last termination was OOMKilled is an OOM kill")
    func oomEvents() throws {
        let events = try ExpositionImporter().parse(openMetrics, file: "m.om").events
        #expect(Set(events.map(\.kind)) == [.restart, .oomKilled])
        #expect(events.allSatisfy { $0.time == 120 && $0.pod == "payment-6c9f8d7b5-abcde" && $0.container == payment })
    }

    @Test("Prometheus text timestamps are milliseconds")
    func millisecondTimestamps() throws {
        let text = "container_memory_working_set_bytes{namespace=\"a\",pod=\"db-0\",container=\"pg\"} 5 1795300600000\n"
        let batch = try ExpositionImporter().parse(text, file: "m.prom")
        #expect(batch.usage.first?.stats.start == 1_795_300_500)
        #expect(batch.usage.first?.container == ContainerID(namespace: "a", kind: .statefulSet, workload: "db", container: "pg"))
    }

    @Test("bad lines are reported as file:line: reason", arguments: [
        ("up{job=\"a\" 1 5", "m.om:2: expected ',' or '}' after the value of label job"),
        ("container_memory_working_set_bytes{namespace=\"a\",pod=\"p-0\",container=\"c\"} 5", "m.om:2: sample of container_memory_working_set_bytes has no timestamp; history import needs timestamped samples"),
        ("container_memory_working_set_bytes{namespace=\"a\",pod=\"p-0\",container=\"c\"} 5 1700000000000", "m.om:2: timestamp 1700000000000.0 looks like milliseconds; OpenMetrics timestamps are seconds"),
        ("container_memory_working_set_bytes{namespace=\"a\",pod=\"p-0\",container=\"c\"} abc 5", "m.om:2: \"abc\" is not a number"),
        ("up{job=\"a 1 5", "m.om:2: unterminated value of label job"),
        ("container_memory_working_set_bytes{pod=\"p-0\",container=\"c\"} 5 5", "m.om:2: container_memory_working_set_bytes needs a non-empty namespace label"),
        ("container_memory_working_set_bytes{namespace=\"a\",pod=\"p-0\",container=\"c\"} NaN 60", "m.om:2: memory of a/StatefulSet/p/c pod p-0: non-finite value nan at t=60"),
    ])
    func malformed(line: String, message: String) {
        let text = "# TYPE x gauge\n\(line)\n# EOF\n"
        do {
            _ = try ExpositionImporter().parse(text, file: "m.om")
            Issue.record("expected an error for \(line)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("nothing may follow # EOF")
    func afterEOF() {
        #expect(throws: ImportError(file: "m.om", line: 2, reason: "content after # EOF")) {
            try ExpositionImporter().parse("# EOF\nup 1 1\n", file: "m.om", format: .openMetrics)
        }
    }
}

@Suite struct WorkloadRollUpTests {
    /// One pod each of a Deployment (through its ReplicaSet), a StatefulSet and a DaemonSet.
    let text = """
        container_memory_working_set_bytes{namespace="mon",pod="web-7d9f8c6b5-x2k4p",container="web"} 100 60
        container_memory_working_set_bytes{namespace="mon",pod="db-0",container="pg"} 200 60
        container_memory_working_set_bytes{namespace="mon",pod="node-exporter-q7z2m",container="exporter"} 300 60
        kube_pod_owner{namespace="mon",pod="web-7d9f8c6b5-x2k4p",owner_kind="ReplicaSet",owner_name="web-7d9f8c6b5"} 1 60
        kube_replicaset_owner{namespace="mon",replicaset="web-7d9f8c6b5",owner_kind="Deployment",owner_name="web"} 1 60
        kube_pod_owner{namespace="mon",pod="db-0",owner_kind="StatefulSet",owner_name="db"} 1 60
        kube_pod_owner{namespace="mon",pod="node-exporter-q7z2m",owner_kind="DaemonSet",owner_name="node-exporter"} 1 60
        kube_pod_container_resource_requests{namespace="mon",pod="web-7d9f8c6b5-x2k4p",container="web",resource="cpu",unit="core"} 0.1 60
        kube_pod_container_resource_requests{namespace="mon",pod="db-0",container="pg",resource="cpu",unit="core"} 2 60
        kube_pod_container_resource_requests{namespace="mon",pod="node-exporter-q7z2m",container="exporter",resource="memory",unit="byte"} 67108864 60
        kube_deployment_spec_replicas{namespace="mon",deployment="web"} 3 60
        kube_statefulset_replicas{namespace="mon",statefulset="db"} 1 60
        kube_daemonset_status_desired_number_scheduled{namespace="mon",daemonset="node-exporter"} 6 60
        # EOF
        """

    @Test("pods roll up to Deployments, StatefulSets and DaemonSets with their inventory")
    func rollUp() throws {
        let batch = try ExpositionImporter().parse(text, file: "ksm.om")
        let workloads = Set(batch.usage.map { "\($0.container.workload.kind.rawValue)/\($0.container.workload.name)/\($0.container.container)" })
        #expect(workloads == ["Deployment/web/web", "StatefulSet/db/pg", "DaemonSet/node-exporter/exporter"])
        let inventory = Dictionary(uniqueKeysWithValues: batch.inventory.map { ($0.container.workload.kind, $0) })
        #expect(inventory[.deployment]?.replicas == 3 && inventory[.deployment]?.requests.cpu?.canonical == "100m")
        #expect(inventory[.statefulSet]?.replicas == 1 && inventory[.statefulSet]?.requests.cpu?.canonical == "2")
        #expect(inventory[.daemonSet]?.replicas == 6 && inventory[.daemonSet]?.requests.memory?.canonical == "64Mi")
    }

    @Test("without owner metrics, pod names decide: template hash → Deployment, ordinal → StatefulSet")
    func nameHeuristics() {
        #expect(PodOwnerResolver.guessOwner(pod: "api-gateway-7d9f8c6b5-x2k4p") == .init(kind: .deployment, name: "api-gateway"))
        #expect(PodOwnerResolver.guessOwner(pod: "redis-2") == .init(kind: .statefulSet, name: "redis"))
        #expect(PodOwnerResolver.guessOwner(pod: "node-exporter-q7z2m") == .init(kind: .pod, name: "node-exporter-q7z2m"))
    }
}

@Suite struct ClusterMetricsTests {
    let text = """
        kube_node_status_allocatable{node="ip-1",resource="cpu",unit="core"} 3.92 60
        kube_node_status_allocatable{node="ip-1",resource="memory",unit="byte"} 16106127360 60
        kube_node_status_capacity{node="ip-1",resource="cpu",unit="core"} 4 60
        kube_node_status_allocatable{node="ip-1",resource="pods",unit="integer"} 58 60
        kube_node_labels{node="ip-1",label_topology_kubernetes_io_zone="us-east-1a",label_node_kubernetes_io_instance_type="m6i.xlarge",label_eks_amazonaws_com_nodegroup="backend"} 1 60
        kube_resourcequota{namespace="prod",resourcequota="compute",resource="requests.cpu",type="hard"} 8 60
        kube_resourcequota{namespace="prod",resourcequota="compute",resource="requests.cpu",type="used"} 2.6 60
        kube_resourcequota{namespace="prod",resourcequota="compute",resource="requests.memory",type="hard"} 17179869184 60
        kube_resourcequota{namespace="prod",resourcequota="compute",resource="pods",type="hard"} 40 60
        container_memory_working_set_bytes{namespace="prod",pod="report-28345-x7k2p",container="report"} 5 60
        kube_pod_owner{namespace="prod",pod="report-28345-x7k2p",owner_kind="Job",owner_name="report-28345"} 1 60
        kube_job_owner{namespace="prod",job_name="report-28345",owner_kind="CronJob",owner_name="report"} 1 60
        # EOF
        """

    @Test("nodes and quota lines come from kube-state-metrics")
    func nodesAndQuotas() throws {
        let objects = try #require(try ExpositionImporter().parse(text, file: "ksm.om").cluster)
        #expect(objects.observedAt == 60)
        #expect(objects.nodes == [NodeRecord(name: "ip-1", nodePool: "backend", zone: "us-east-1a", instanceType: "m6i.xlarge",
                                             allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: 3920), memory: MemoryQuantity(bytes: 15 << 30)),
                                             capacity: ResourceAmounts(cpu: CPUQuantity(millicores: 4000)))])
        #expect(objects.quotas == [
            ResourceQuotaRecord(namespace: "prod", name: "compute", resource: "pods", hard: "40", used: nil),
            ResourceQuotaRecord(namespace: "prod", name: "compute", resource: "requests.cpu", hard: "8", used: "2600m"),
            ResourceQuotaRecord(namespace: "prod", name: "compute", resource: "requests.memory", hard: "16Gi", used: nil),
        ])
    }

    @Test("a Job's pods roll up to its CronJob")
    func cronJob() throws {
        let usage = try ExpositionImporter().parse(text, file: "ksm.om").usage
        #expect(usage.first?.container.workload == WorkloadID(cluster: "default", namespace: "prod", kind: .cronJob, name: "report"))
    }
}
