import Foundation
import HeadroomCore
import HeadroomManifests
import HeadroomTesting
import Testing

/// The status a VPA custom recommender writes, policy honoured as the upstream recommender does.
@Suite struct VPAStatusTests {
    static let web = VPARecommendationInput(
        container: "web", target: ResourceAmounts(cpu: CPUQuantity(millicores: 2_000), memory: MemoryQuantity(bytes: 4 << 30)),
        lowerBound: ResourceAmounts(cpu: CPUQuantity(millicores: 1_500), memory: MemoryQuantity(bytes: 3 << 30)),
        upperBound: ResourceAmounts(cpu: CPUQuantity(millicores: 2_500), memory: MemoryQuantity(bytes: 5 << 30)), lowConfidence: false)
    static let sidecar = VPARecommendationInput(
        container: "proxy", target: ResourceAmounts(cpu: CPUQuantity(millicores: 50), memory: MemoryQuantity(bytes: 64 << 20)),
        lowerBound: ResourceAmounts(cpu: CPUQuantity(millicores: 40), memory: MemoryQuantity(bytes: 60 << 20)),
        upperBound: ResourceAmounts(cpu: CPUQuantity(millicores: 60), memory: MemoryQuantity(bytes: 70 << 20)), lowConfidence: true)

    @Test("maxAllowed and minAllowed cap target and bounds; uncappedTarget keeps the recommendation")
    func caps() throws {
        let policy = VPAContainerPolicy(containerName: "web", minAllowed: ResourceAmounts(memory: MemoryQuantity(bytes: 3_500 << 20)),
                                        maxAllowed: ResourceAmounts(cpu: CPUQuantity(millicores: 1_000)))
        let status = VPAStatus.make(containers: [Self.web], policies: [policy], recommender: "headroom", now: 1_795_392_000)
        let web = try #require(status.recommendation?.containerRecommendations.first)
        #expect(web.target == ["cpu": "1", "memory": String(4 << 30)])
        #expect(web.uncappedTarget == ["cpu": "2", "memory": String(4 << 30)])
        #expect(web.lowerBound == ["cpu": "1", "memory": String(3_500 << 20)])
        #expect(web.upperBound == ["cpu": "1", "memory": String(5 << 30)])
        #expect(status.conditions.first { $0.type == "RecommendationProvided" }?.status == "True")
        #expect(status.conditions.first?.lastTransitionTime == "2026-11-23T00:00:00Z")
    }

    @Test("controlledResources limits the resources; mode Off drops a container; * is the default policy")
    func policies() throws {
        let status = VPAStatus.make(containers: [Self.web, Self.sidecar],
                                    policies: [VPAContainerPolicy(containerName: "*", controlledResources: [.memory]),
                                               VPAContainerPolicy(containerName: "proxy", mode: .off)],
                                    recommender: "headroom", now: 0)
        let rows = try #require(status.recommendation?.containerRecommendations)
        #expect(rows.map(\.containerName) == ["web"])
        #expect(rows[0].target.keys.sorted() == ["memory"] && rows[0].uncappedTarget.keys.sorted() == ["memory"])
        #expect(status.conditions.first { $0.type == "LowConfidence" }?.status == "False", "the low-confidence sidecar is Off")
    }

    @Test("short history sets LowConfidence; no containers sets NoPodsMatched and clears the recommendation")
    func conditions() throws {
        let low = VPAStatus.make(containers: [Self.sidecar], policies: [], recommender: "headroom", now: 0)
        let condition = try #require(low.conditions.first { $0.type == "LowConfidence" })
        #expect(condition.status == "True" && condition.message.contains("proxy"))
        let none = VPAStatus.make(containers: [], policies: [], recommender: "headroom", now: 0)
        #expect(none.recommendation == nil)
        #expect(none.conditions.first { $0.type == "NoPodsMatched" }?.status == "True")
        #expect(none.conditions.first { $0.type == "RecommendationProvided" }?.status == "False")
        let body = try #require(try JSONSerialization.jsonObject(with: none.patchBody()) as? [String: [String: Any]])
        #expect(body["status"]?["recommendation"] is NSNull, "null removes an earlier recommendation in a merge patch")
    }

    @Test("a VPA carrying the status validates against the VPA CRD schema (scripts/validate-manifests)")
    func schema() async throws {
        let status = VPAStatus.make(containers: [Self.web, Self.sidecar], policies: [], recommender: "headroom", now: 1_795_392_000)
        let body = try #require(try JSONSerialization.jsonObject(with: status.patchBody()) as? [String: Any])
        var object: [String: Any] = ["apiVersion": "autoscaling.k8s.io/v1", "kind": "VerticalPodAutoscaler",
                                     "metadata": ["name": "web", "namespace": "shop"],
                                     "spec": ["targetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "recommenders": [["name": "headroom"]]]]
        object["status"] = body["status"]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: directory.file("vpa.yaml")))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let result = try await ChildProcess.run(root.appendingPathComponent("scripts/validate-manifests").path, [directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
