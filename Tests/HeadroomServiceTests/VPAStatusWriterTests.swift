import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomEngine
import HeadroomService
import HeadroomTesting
import Logging
import Testing

/// VPA status write-back against the loopback Kubernetes API, which records every PATCH.
@Suite struct VPAStatusWriterTests {
    static let base = "/apis/autoscaling.k8s.io/v1/namespaces"

    static func vpa(_ namespace: String, _ name: String, kind: String, target: String, recommenders: [String]?, policy: String = "") -> String {
        let named = recommenders.map { #","recommenders":[\#($0.map { #"{"name":"\#($0)"}"# }.joined(separator: ","))]"# } ?? ""
        return #"{"metadata":{"name":"\#(name)","namespace":"\#(namespace)"},"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"\#(kind)","name":"\#(target)"}\#(named)\#(policy)}}"#
    }

    @Test("only VPAs naming headroom are patched; refusals are counted and logged, the rest still written")
    func writeBack() async throws {
        let capped = #","resourcePolicy":{"containerPolicies":[{"containerName":"web","maxAllowed":{"cpu":"100m"}}]}"#
        let vpas = [
            Self.vpa("shop", "web", kind: "Deployment", target: "web", recommenders: ["headroom"], policy: capped),
            Self.vpa("data", "db-other", kind: "StatefulSet", target: "db", recommenders: ["other"]),
            Self.vpa("shop", "web-default", kind: "Deployment", target: "web", recommenders: nil),
            Self.vpa("data", "db", kind: "StatefulSet", target: "db", recommenders: ["other", "headroom"]),
            Self.vpa("shop", "ghost", kind: "Deployment", target: "ghost", recommenders: ["headroom"]),
            Self.vpa("shop", "web-forbidden", kind: "Deployment", target: "web", recommenders: ["headroom"]),
            Self.vpa("shop", "web-invalid", kind: "Deployment", target: "web", recommenders: ["headroom"]),
            Self.vpa("shop", "web-bad-policy", kind: "Deployment", target: "web", recommenders: ["headroom"],
                     policy: #","resourcePolicy":{"containerPolicies":[{"containerName":"web","minAllowed":{"cpu":"lots"}}]}"#),
        ]
        let api = try ReplayingKubernetesAPI(lists: ["/apis/autoscaling.k8s.io/v1/verticalpodautoscalers": vpas],
                                             patchStatuses: ["\(Self.base)/data/verticalpodautoscalers/db/status": 409,
                                                             "\(Self.base)/shop/verticalpodautoscalers/web-forbidden/status": 403,
                                                             "\(Self.base)/shop/verticalpodautoscalers/web-invalid/status": 422])
        let metrics = ServiceMetrics()
        let writer = VPAStatusWriter(api: KubernetesAPI(connection: KubernetesConnection(server: api.url)), logger: Logger(label: "test"), metrics: metrics)
        let assessment = try await ServeFixture.assessment()
        let outcomes = try await writer.write(assessment, now: ServeFixture.end + 3_600)

        #expect(outcomes == ["shop/web": .written, "data/db": .conflict, "shop/ghost": .written, "shop/web-forbidden": .forbidden,
                             "shop/web-invalid": .invalid, "shop/web-bad-policy": .malformedPolicy])
        let patched = Set(api.patches.map(\.path))
        #expect(!patched.contains { $0.contains("db-other") || $0.contains("web-default") }, "VPAs of other recommenders are untouched")
        #expect(patched.count == 5)

        let web = try #require(api.patches.first { $0.path == "\(Self.base)/shop/verticalpodautoscalers/web/status" })
        let status = try #require((try JSONSerialization.jsonObject(with: web.body) as? [String: Any])?["status"] as? [String: Any])
        let rows = try #require((status["recommendation"] as? [String: Any])?["containerRecommendations"] as? [[String: Any]])
        let row = try #require(rows.first)
        let recommended = try #require(assessment.containers.first { $0.container == ServeFixture.web }?.recommended.requests)
        #expect(row["containerName"] as? String == "web")
        #expect((row["target"] as? [String: String])?["cpu"] == "100m", "maxAllowed caps the target")
        #expect((row["uncappedTarget"] as? [String: String])?["cpu"] == recommended.cpu?.canonical)
        #expect((row["target"] as? [String: String])?["memory"] == recommended.memory.map { String($0.bytes) })
        #expect(row["lowerBound"] != nil && row["upperBound"] != nil)
        let conditions = try #require(status["conditions"] as? [[String: String]])
        #expect(conditions.contains { $0["type"] == "RecommendationProvided" && $0["status"] == "True" })

        let ghost = try #require(api.patches.first { $0.path.contains("/ghost/") })
        #expect(String(decoding: ghost.body, as: UTF8.self).contains(#""type":"NoPodsMatched""#))

        let text = String(decoding: metrics.render(), as: UTF8.self)
        #expect(text.contains(#"headroom_vpa_status_writes_total{outcome="written"} 2"#))
        #expect(text.contains(#"headroom_vpa_status_writes_total{outcome="conflict"} 1"#))
        #expect(text.contains(#"headroom_vpa_status_writes_total{outcome="malformed_policy"} 1"#))
    }

    @Test("a cluster without the VPA CRD has nothing to write")
    func noCRD() async throws {
        let api = try ReplayingKubernetesAPI(lists: [:])
        let writer = VPAStatusWriter(api: KubernetesAPI(connection: KubernetesConnection(server: api.url)), logger: Logger(label: "test"), metrics: ServiceMetrics())
        #expect(try await writer.write(try await ServeFixture.assessment(), now: 0).isEmpty)
        #expect(api.patches.isEmpty)
    }
}
