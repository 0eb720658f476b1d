import Foundation
import HeadroomCore
import HeadroomEngine
import HeadroomService
import Testing

/// `GET /v1/keda/{namespace}/{workload}`: the next hour's demand and replicas for KEDA's
/// metrics-api scaler, over real loopback HTTP.
@Suite(.serialized) struct KEDATests {
    static let open = ServeRouter.Options(token: nil, stalenessSeconds: 3_600, now: { ServeFixture.end + 3_600 })

    @Test("the web Deployment's next hour: 3 pods at about 50.7m each (hour 0 of its repeating day), replicas for a 70 % target of 500m")
    func webPrediction() async throws {
        let state = ServeState()
        try await state.publish(try await ServeFixture.assessment(), at: ServeFixture.end + 3_600)
        try await ServeFixture.withServer(state: state, options: Self.open) { base in
            let answer = try await ServeFixture.get(base + "/v1/keda/shop/web")
            #expect(answer.status == 200 && answer.headers["etag"] != nil)
            let document = try ServeFixture.object(answer)
            let demand = try #require(document["predictedMillicores"] as? [String: Double])
            // The fixture's web pods use 40m + 160m × daily, and daily is 0.067 in the hour after midnight.
            let perPod = 40 + 160 * (0.5 + 0.5 * sin(-8.0 / 24 * 2 * Double.pi))
            #expect(abs(try #require(demand["p50"]) - 3 * perPod) < 0.1 * 3 * perPod)
            let p90 = try #require(demand["p90"])
            #expect(p90 >= demand["p50"]!)
            #expect(document["podRequestMillicores"] as? Int == 500)
            #expect(document["targetUtilization"] as? Double == 0.7)
            #expect(document["predictedReplicas"] as? Int == Int((p90 / 350).rounded(.up)))
            #expect(document["replicas"] as? Int == 3 && document["kind"] as? String == "Deployment" && document["horizonSeconds"] as? Int == 3_600)

            let lowTarget = try ServeFixture.object(try await ServeFixture.get(base + "/v1/keda/shop/web?target=10"))
            #expect(lowTarget["predictedReplicas"] as? Int == Int((p90 / 50).rounded(.up)))
        }
    }

    @Test("unknown workloads answer 404, a target out of range 400")
    func refusals() async throws {
        let state = ServeState()
        try await state.publish(try await ServeFixture.assessment(), at: ServeFixture.end + 3_600)
        try await ServeFixture.withServer(state: state, options: Self.open) { base in
            let unknown = try await ServeFixture.get(base + "/v1/keda/shop/nothing")
            let zero = try await ServeFixture.get(base + "/v1/keda/shop/web?target=0")
            let text = try await ServeFixture.get(base + "/v1/keda/shop/web?target=lots")
            #expect(unknown.status == 404 && zero.status == 400 && text.status == 400)
        }
    }

    @Test("two kinds sharing a name are ambiguous until ?kind= picks one")
    func ambiguous() async throws {
        var assessment = try await ServeFixture.assessment()
        var twin = try #require(assessment.containers.first { $0.container == ServeFixture.db })
        twin.container = ContainerID(namespace: "shop", kind: .statefulSet, workload: "web", container: "cache")
        assessment.containers.append(twin)
        #expect(KEDAPrediction.make(assessment, namespace: "shop", name: "web") == .failure(.ambiguous(kinds: ["Deployment", "StatefulSet"])))
        let picked = try KEDAPrediction.make(assessment, namespace: "shop", name: "web", kind: "statefulset").get()
        #expect(picked.kind == "StatefulSet" && picked.podRequestMillicores == 1_000)
    }
}
