import Foundation
@testable import HeadroomCollect
import HeadroomCore
import HeadroomHTTP
import HeadroomTesting
import Testing

/// The Kubernetes API cannot run here: these tests use `ReplayingKubernetesAPI`, a loopback
/// server answering in the API's documented shapes.
@Suite struct KubernetesSourceTests {
    func source(_ replay: ReplayingKubernetesAPI, pageSize: Int = 2, token: String = "sa-token") -> KubernetesSource {
        let connection = KubernetesConnection(server: replay.url, authentication: .bearer(token: token))
        return KubernetesSource(api: KubernetesAPI(connection: connection, pageSize: pageSize), cluster: "prod-eks")
    }

    func workload(_ kind: WorkloadKind, _ name: String) -> WorkloadID {
        WorkloadID(cluster: "prod-eks", namespace: "prod", kind: kind, name: name)
    }

    @Test("pods roll up to Deployments, StatefulSets and DaemonSets with requests, limits, replicas, placement and HPA")
    func inventory() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists, token: "sa-token")
        defer { replay.server.stop() }
        let snapshot = try await source(replay).snapshot(now: 1_795_400_000)
        let records = Dictionary(uniqueKeysWithValues: snapshot.batch.inventory.map { ($0.container.workload, $0) })
        #expect(Set(records.keys) == [workload(.deployment, "web"), workload(.statefulSet, "db"), workload(.daemonSet, "node-exporter")])
        let web = try #require(records[workload(.deployment, "web")])
        #expect(web.container.container == "web" && web.observedAt == 1_795_400_000)
        #expect(web.requests == ResourceAmounts(cpu: CPUQuantity(millicores: 250), memory: MemoryQuantity(bytes: 512 << 20)))
        #expect(web.limits == ResourceAmounts(cpu: nil, memory: .gibibyte))
        #expect(web.replicas == 2 && web.nodePool == "backend" && web.zone == "us-east-1a,us-east-1b")
        #expect(web.hpa == HPASpec(minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercent: 70))
        #expect(web.labels == ["app": "web"])  // pod-template-hash is the controller's, not the workload's
        #expect(records[workload(.statefulSet, "db")]?.replicas == 1)
        // Only Headroom's own annotations are kept (sizing overrides).
        #expect(records[workload(.statefulSet, "db")]?.annotations == ["headroom.io/quantile": "0.99"])
        #expect(records[workload(.daemonSet, "node-exporter")]?.replicas == 2)
        #expect(records[workload(.daemonSet, "node-exporter")]?.requests.memory?.canonical == "64Mi")
        #expect(snapshot.podCount == 5)  // the finished Job pod is left out
    }

    @Test("nodes, quotas, limit ranges, VPAs and OOM kills are captured")
    func clusterObjects() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists)
        defer { replay.server.stop() }
        let snapshot = try await source(replay).snapshot(now: 100)
        let objects = try #require(snapshot.batch.cluster)
        #expect(objects.nodes.map(\.name) == ["ip-10-0-1-1", "ip-10-0-2-1"])
        // Volumes: the claim db-0 mounts belongs to the StatefulSet; the released one to nobody.
        #expect(objects.volumes.count == 2)
        let bound = try #require(objects.volumes.first { $0.name == "pvc-1a2b" })
        #expect(bound.capacityBytes == 50 << 30 && bound.workload == workload(.statefulSet, "db") && !bound.isUnattached)
        #expect(objects.volumes.first { $0.name == "pvc-9z8y" }?.isUnattached == true)
        #expect(objects.nodes[0].allocatable == ResourceAmounts(cpu: CPUQuantity(millicores: 3920), memory: MemoryQuantity(bytes: 15 << 30)))
        #expect(objects.nodes[0].instanceType == "m6i.xlarge" && objects.nodes[1].zone == "us-east-1b")
        #expect(objects.quotas == [
            ResourceQuotaRecord(namespace: "prod", name: "compute", resource: "requests.cpu", hard: "8", used: "2600m"),
            ResourceQuotaRecord(namespace: "prod", name: "compute", resource: "requests.memory", hard: "16Gi", used: "5248Mi"),
        ])
        #expect(objects.limitRanges.map(\.resource) == ["cpu", "memory"])
        #expect(objects.limitRanges[0].defaultRequest == "100m" && objects.limitRanges[1].defaultLimit == "512Mi")
        #expect(objects.vpas == [VPARecord(namespace: "prod", name: "db", targetKind: "StatefulSet", targetName: "db", updateMode: "Off")])
        let oom = try #require(snapshot.batch.events.first)
        #expect(oom.kind == .oomKilled && oom.pod == "web-7d9f8c6b5-x2k4p" && oom.time == 1_795_341_600)
    }

    @Test("metrics.k8s.io gives a live usage sample per pod, in millicores and bytes")
    func liveUsage() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists)
        defer { replay.server.stop() }
        let usage = try await source(replay).snapshot(now: 100).batch.usage
        let cpu = try #require(usage.first { $0.resource == .cpu })
        #expect(cpu.container == ContainerID(workload: workload(.deployment, "web"), container: "web"))
        #expect(cpu.stats.count == 2 && cpu.stats.mean == 100 && cpu.stats.max == 120)  // 120000000n = 120m
        let memory = try #require(usage.first { $0.resource == .memory })
        #expect(memory.stats.mean == Double(250 << 20))
    }

    @Test("lists are read page by page with limit and continue")
    func pagination() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists)
        defer { replay.server.stop() }
        _ = try await source(replay, pageSize: 2).snapshot(now: 100)
        let podRequests = replay.requestTargets.filter { $0.hasPrefix("/api/v1/pods?") }
        #expect(podRequests == ["/api/v1/pods?limit=2", "/api/v1/pods?limit=2&continue=page-2", "/api/v1/pods?limit=2&continue=page-4"])
    }

    @Test("an expired continue token (410 Gone) restarts the list without duplicates")
    func expiredContinue() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists, faults: ["/api/v1/pods": .expireFirstContinueToken])
        defer { replay.server.stop() }
        let snapshot = try await source(replay, pageSize: 2).snapshot(now: 100)
        #expect(snapshot.podCount == 5)
        let podRequests = replay.requestTargets.filter { $0.hasPrefix("/api/v1/pods?") }
        #expect(podRequests.count == 5)  // page 1, expired page 2, then pages 1, 2, 3 again
    }

    @Test("403 Forbidden on a required list is an error that says which permission is missing")
    func forbidden() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists, faults: ["/api/v1/pods": .forbidden])
        defer { replay.server.stop() }
        do {
            _ = try await source(replay).snapshot(now: 100)
            Issue.record("expected a 403 error")
        } catch let error as KubernetesError {
            #expect(error.message.contains("GET /api/v1/pods: 403 Forbidden: the credentials may not list pods"))
            #expect(error.message.contains("cannot list resource"))
        }
    }

    @Test("an absent VPA CRD or metrics-server is a warning, not a failure")
    func optionalAPIs() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists, faults: [
            "/apis/autoscaling.k8s.io/v1/verticalpodautoscalers": .absent, "/apis/metrics.k8s.io/v1beta1/pods": .absent,
        ])
        defer { replay.server.stop() }
        let snapshot = try await source(replay).snapshot(now: 100)
        #expect(snapshot.batch.cluster?.vpas.isEmpty == true)
        #expect(snapshot.batch.usage.isEmpty)
        #expect(snapshot.warnings.count == 2)
        #expect(snapshot.warnings.contains { $0.hasPrefix("VerticalPodAutoscalers not served") })
    }

    @Test("a CronJob's running Job pods roll up to the CronJob")
    func cronJobs() async throws {
        var lists = KubernetesFixture.lists
        lists["/api/v1/pods"]! += [KubernetesFixture.pod("report-28345-x7k2p", owner: ("Job", "report-28345"), node: "ip-10-0-1-1",
                                                         container: "report", requests: #"{"cpu":"1"}"#, limits: "{}")]
        lists["/apis/batch/v1/jobs"] = [#"{"metadata":{"name":"report-28345","namespace":"prod","ownerReferences":[{"kind":"CronJob","name":"report","controller":true}]}}"#]
        let replay = try ReplayingKubernetesAPI(lists: lists)
        defer { replay.server.stop() }
        let inventory = try await source(replay).snapshot(now: 100).batch.inventory
        #expect(inventory.contains { $0.container.workload == workload(.cronJob, "report") && $0.requests.cpu?.canonical == "1" })
    }

    @Test("a wrong token is refused with 401")
    func unauthorized() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists, token: "right")
        defer { replay.server.stop() }
        await #expect(throws: KubernetesError.self) { try await source(replay, token: "wrong").snapshot(now: 100) }
    }

    @Test("namespaced collection lists each namespace's objects")
    func namespaces() async throws {
        var lists = KubernetesFixture.lists
        for resource in ["pods", "resourcequotas", "limitranges"] { lists["/api/v1/namespaces/prod/\(resource)"] = lists["/api/v1/\(resource)"] }
        for resource in ["deployments", "statefulsets", "daemonsets"] { lists["/apis/apps/v1/namespaces/prod/\(resource)"] = lists["/apis/apps/v1/\(resource)"] }
        lists["/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers"] = lists["/apis/autoscaling/v2/horizontalpodautoscalers"]
        let replay = try ReplayingKubernetesAPI(lists: lists)
        defer { replay.server.stop() }
        let snapshot = try await source(replay).snapshot(now: 100, namespaces: ["prod"])
        #expect(snapshot.batch.inventory.count == 3)
        #expect(replay.requestTargets.contains { $0.hasPrefix("/api/v1/namespaces/prod/pods?") })
        #expect(!replay.requestTargets.contains { $0.hasPrefix("/api/v1/pods?") })
    }
}

@Suite struct KubernetesConnectionTests {
    @Test("kubeconfig: current context, token, CA file relative to the kubeconfig, namespace")
    func kubeconfig() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("ca.crt", "CA")
        let path = try directory.write("config", """
            apiVersion: v1
            kind: Config
            current-context: prod
            clusters:
              - name: prod-cluster
                cluster: {server: "https://10.0.0.1:6443", certificate-authority: ca.crt}
            contexts:
              - name: prod
                context: {cluster: prod-cluster, user: robot, namespace: payments}
              - name: staging
                context: {cluster: prod-cluster, user: certs}
            users:
              - name: robot
                user: {token: abc123}
              - name: certs
                user: {client-certificate-data: \(Data("CERT".utf8).base64EncodedString()), client-key-data: \(Data("KEY".utf8).base64EncodedString())}
            """)
        let prod = try KubernetesConnection.fromKubeconfig(path: path, secretsDirectory: directory.file("secrets"))
        #expect(prod.server == "https://10.0.0.1:6443")
        #expect(prod.authentication == .bearer(token: "abc123"))
        #expect(prod.tls.caFile == directory.file("ca.crt"))
        #expect(prod.namespace == "payments")
        let staging = try KubernetesConnection.fromKubeconfig(path: path, context: "staging", secretsDirectory: directory.file("secrets"))
        let certificate = try #require(staging.tls.clientCertificateFile)
        #expect(try String(contentsOfFile: certificate, encoding: .utf8) == "CERT")
        #expect(try String(contentsOfFile: try #require(staging.tls.clientKeyFile), encoding: .utf8) == "KEY")
        #expect(throws: KubernetesError.self) { try KubernetesConnection.fromKubeconfig(path: path, context: "nope", secretsDirectory: directory.path) }
    }

    @Test("an exec credential plugin is out of reach and says so")
    func execPlugin() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("config", """
            current-context: eks
            clusters: [{name: eks, cluster: {server: "https://eks.example"}}]
            contexts: [{name: eks, context: {cluster: eks, user: aws}}]
            users: [{name: aws, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token]}}}]
            """)
        do {
            _ = try KubernetesConnection.fromKubeconfig(path: path, secretsDirectory: directory.path)
            Issue.record("expected an error")
        } catch let error as KubernetesError {
            #expect(error.message.contains("exec plugin \"aws\", which Headroom cannot run here"))
        }
    }

    @Test("in-cluster: the service account's token and CA")
    func inCluster() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("token", "sa-token\n")
        try directory.write("namespace", "headroom")
        let connection = try KubernetesConnection.inCluster(
            root: directory.path, environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"])
        #expect(connection.server == "https://10.96.0.1:443")
        #expect(connection.authentication == .bearer(token: "sa-token"))
        #expect(connection.tls.caFile == "\(directory.path)/ca.crt")
        #expect(throws: KubernetesError.self) { try KubernetesConnection.inCluster(root: directory.path, environment: [:]) }
    }
}

/// Answers from the API outside any real cluster are refused with the object named.
@Suite struct KubernetesBoundsTests {
    func snapshotError(_ change: (inout [String: [String]]) -> Void) async throws -> String? {
        var lists = KubernetesFixture.lists
        change(&lists)
        let replay = try ReplayingKubernetesAPI(lists: lists, token: "sa-token")
        defer { replay.server.stop() }
        let connection = KubernetesConnection(server: replay.url, authentication: .bearer(token: "sa-token"))
        do {
            _ = try await KubernetesSource(api: KubernetesAPI(connection: connection), cluster: "c").snapshot(now: 1_795_400_000)
            return nil
        } catch let error as KubernetesError {
            return error.message
        }
    }

    @Test("a Deployment of 10^9 replicas, an HPA maximum past the limit and a node of 10^7 cores are errors naming the object")
    func refused() async throws {
        #expect(try await snapshotError { $0["/apis/apps/v1/deployments"] = [#"{"metadata":{"name":"web","namespace":"prod"},"spec":{"replicas":1000000000}}"#] }
                == "Deployment prod/web: 1000000000 replicas is outside 0…100000")
        #expect(try await snapshotError {
            $0["/apis/autoscaling/v2/horizontalpodautoscalers"] = [#"{"metadata":{"name":"web","namespace":"prod"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":2000000}}"#]
        } == "HorizontalPodAutoscaler prod/web maxReplicas: 2000000 replicas is outside 0…100000")
        let message = try await snapshotError {
            $0["/api/v1/nodes"] = [#"{"metadata":{"name":"huge","labels":{}},"status":{"allocatable":{"cpu":"10000000","memory":"15Gi"},"capacity":{"cpu":"4","memory":"16Gi"}}}"#]
        }
        #expect(message?.hasSuffix("allocatable: cpu 10000000 is outside 0…1,000,000 cores") == true, "\(message ?? "accepted")")
    }
}
