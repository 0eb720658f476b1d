import Foundation
import HeadroomEngine
@testable import HeadroomService
import Logging
import Testing

/// The service's HTTP API over real loopback HTTP (libcurl to Hummingbird), on a real Assessment.
@Suite(.serialized) struct ServeAPITests {
    static let open = ServeRouter.Options(token: nil, stalenessSeconds: 3_600, now: { ServeFixture.end + 3_600 })

    @Test("before the first good cycle: alive, not ready, and /v1 answers 503")
    func beforeFirstCycle() async throws {
        try await ServeFixture.withServer(state: ServeState(), options: Self.open) { base in
            #expect(try await ServeFixture.get(base + "/healthz").status == 200)
            let ready = try await ServeFixture.get(base + "/readyz")
            #expect(ready.status == 503 && String(decoding: ready.body, as: UTF8.self).contains("no good cycle yet"))
            #expect(try await ServeFixture.get(base + "/v1/assessment").status == 503)
        }
    }

    @Test("/v1/assessment is the assess document, with an ETag that If-None-Match turns into 304")
    func assessmentAndETag() async throws {
        let state = ServeState()
        try await state.publish(try await ServeFixture.assessment(), at: ServeFixture.end + 3_600)
        try await ServeFixture.withServer(state: state, options: Self.open) { base in
            #expect(try await ServeFixture.get(base + "/readyz").status == 200)
            let first = try await ServeFixture.get(base + "/v1/assessment")
            #expect(first.status == 200)
            let document = try ServeFixture.object(first)
            #expect(document["kind"] as? String == "Assessment" && document["apiVersion"] as? String == "headroom.io/v1alpha1")
            #expect((document["totals"] as? [String: Any])?["containers"] as? Int == 2)
            let etag = try #require(first.headers["etag"])
            #expect(first.headers["last-modified"] == "Mon, 23 Nov 2026 01:00:00 GMT")
            #expect(first.headers["age"] == "0", "published at the moment the clock reads")
            let again = try await ServeFixture.get(base + "/v1/assessment", headers: [("If-None-Match", etag)])
            #expect(again.status == 304 && again.body.isEmpty)
            #expect(try await ServeFixture.get(base + "/v1/assessment", headers: [("If-None-Match", "\"other\"")]).status == 200)
        }
    }

    @Test("recommendations filter by namespace, kind and workload; a workload answers with its containers or 404")
    func filters() async throws {
        let state = ServeState()
        try await state.publish(try await ServeFixture.assessment(), at: ServeFixture.end + 3_600)
        try await ServeFixture.withServer(state: state, options: Self.open) { base in
            func workloads(_ query: String) async throws -> [String] {
                let answer = try ServeFixture.object(try await ServeFixture.get(base + "/v1/recommendations" + query))
                return (answer["containers"] as? [[String: Any]] ?? []).compactMap { (($0["container"] as? [String: Any])?["workload"] as? [String: Any])?["name"] as? String }
            }
            #expect(try await workloads("") == ["db", "web"])
            #expect(try await workloads("?namespace=shop") == ["web"])
            #expect(try await workloads("?kind=statefulset") == ["db"])
            #expect(try await workloads("?namespace=shop&workload=db").isEmpty)
            let web = try await ServeFixture.get(base + "/v1/workloads/shop/Deployment/web")
            #expect(web.status == 200)
            #expect((try ServeFixture.object(web)["containers"] as? [Any])?.count == 1)
            #expect(try await ServeFixture.get(base + "/v1/workloads/shop/Deployment/nothing").status == 404)
            #expect(try ServeFixture.object(try await ServeFixture.get(base + "/v1/reclaim"))["kind"] as? String == "ReclaimPlan")
        }
    }

    @Test("with a token, /v1 needs it (401 without, 403 wrong) and no answer shows it; probes stay open")
    func bearerToken() async throws {
        let state = ServeState()
        try await state.publish(try await ServeFixture.assessment(), at: ServeFixture.end + 3_600)
        let token = "s3cr3t-token-\(UUID().uuidString)"
        let trigger = CycleTrigger()
        var options = Self.open
        options.token = token
        try await ServeFixture.withServer(state: state, trigger: trigger, options: options) { base in
            let none = try await ServeFixture.get(base + "/v1/recommendations")
            #expect(none.status == 401 && none.headers["www-authenticate"] == "Bearer")
            let wrong = try await ServeFixture.get(base + "/v1/recommendations", headers: [("Authorization", "Bearer \(token.dropLast())")])
            #expect(wrong.status == 403 && !String(decoding: wrong.body, as: UTF8.self).contains(token.dropLast()))
            #expect(try await ServeFixture.get(base + "/v1/recommendations", headers: [("Authorization", "Bearer \(token)")]).status == 200)
            #expect(try await ServeFixture.get(base + "/healthz").status == 200)
            #expect(try await ServeFixture.get(base + "/readyz").status == 200)
            let anonymous = try await ServeFixture.get(base + "/v1/cycles", method: .post)
            #expect(anonymous.status == 401)
            let authorised = try await ServeFixture.get(base + "/v1/cycles", headers: [("Authorization", "Bearer \(token)")], method: .post)
            #expect(authorised.status == 202)
        }
        #expect(trigger.request(), "the trigger still takes requests")
    }

    @Test("POST /v1/cycles without a configured token is refused, whatever the request carries")
    func cyclesNeedAToken() async throws {
        try await ServeFixture.withServer(state: ServeState(), options: Self.open) { base in
            let anonymous = try await ServeFixture.get(base + "/v1/cycles", method: .post)
            #expect(anonymous.status == 401)
            let empty = try await ServeFixture.get(base + "/v1/cycles", headers: [("Authorization", "Bearer ")], method: .post)
            #expect(empty.status == 403)
        }
    }

    @Test("/readyz turns unready once the last good cycle is older than the staleness limit")
    func staleness() async throws {
        let state = ServeState()
        try await state.publish(try await ServeFixture.assessment(), at: 1_000)
        #expect(await state.readiness(now: 4_600, staleness: 3_600) == .ready(ageSeconds: 3_600))
        #expect(await state.readiness(now: 4_601, staleness: 3_600) == .stale(ageSeconds: 3_601, lastFailure: nil))
        let options = ServeRouter.Options(token: nil, stalenessSeconds: 3_600, now: { 4_601 })
        try await ServeFixture.withServer(state: state, options: options) { base in
            let ready = try await ServeFixture.get(base + "/readyz")
            #expect(ready.status == 503)
            let served = try await ServeFixture.get(base + "/v1/assessment")
            #expect(served.status == 200, "the last good assessment is still served")
            #expect(served.headers["age"] == "3601", "with its age")
        }
    }
}

/// The cycle loop: publishes good cycles, keeps the last good one through failures, one at a time.
@Suite struct CycleServiceTests {
    struct Down: Error, CustomStringConvertible { var description: String { "prometheus is down" } }

    @Test("a failed cycle is recorded and the last good assessment stays published")
    func failureKeepsLastGood() async throws {
        let assessment = try await ServeFixture.assessment()
        let state = ServeState()
        let fail = Flag()
        let service = CycleService(state: state, trigger: CycleTrigger(), interval: .seconds(60), logger: Logger(label: "test"), now: { 100 }) {
            if fail.value { throw Down() }
            return assessment
        }
        #expect(await service.runOnce())
        let first = try #require(await state.published)
        fail.value = true
        #expect(await service.runOnce() == false)
        #expect(await state.published?.etag == first.etag)
        #expect(await state.goodCycles == 1)
        #expect(await state.failedCycles == 1)
        #expect(await state.lastFailure == "prometheus is down")
    }

    @Test("the loop runs a cycle at start, another when triggered, and stops when told")
    func triggeredAndStopped() async throws {
        let assessment = try await ServeFixture.assessment()
        let state = ServeState()
        let trigger = CycleTrigger(pollInterval: .milliseconds(10))
        let service = CycleService(state: state, trigger: trigger, interval: .seconds(3_600), logger: Logger(label: "test"), now: { 100 }) { assessment }
        let loop = Task { try await service.run() }
        while await state.goodCycles < 1 { try await Task.sleep(for: .milliseconds(10)) }
        trigger.request()
        while await state.goodCycles < 2 { try await Task.sleep(for: .milliseconds(10)) }
        trigger.stop()
        try await loop.value
        #expect(await state.goodCycles == 2, "an hour's interval: only the start and the trigger ran cycles")
        #expect(trigger.request() == false)
    }
}

/// The loop with a collection interval shorter than the cycle's: collections alone in between.
@Suite struct CollectIntervalTests {
    /// Counts calls from concurrent closures.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    @Test("collect every 20 ms, assess every hour: collections alone between cycles, a trigger still runs a whole cycle")
    func collectionsBetweenCycles() async throws {
        let assessment = try await ServeFixture.assessment()
        let state = ServeState()
        let trigger = CycleTrigger(pollInterval: .milliseconds(5))
        let collections = Counter(), assessments = Counter()
        let service = CycleService(state: state, trigger: trigger, interval: .seconds(3_600), collectInterval: .milliseconds(20),
                                   logger: Logger(label: "test"), now: { 100 }, collect: { collections.increment(); return nil }) {
            assessments.increment()
            return assessment
        }
        let loop = Task { try await service.run() }
        while collections.value < 5 { try await Task.sleep(for: .milliseconds(10)) }
        let good = await state.goodCycles
        #expect(assessments.value == 1 && good == 1, "only the first cycle assessed")
        trigger.request()
        while await state.goodCycles < 2 { try await Task.sleep(for: .milliseconds(10)) }
        trigger.stop()
        try await loop.value
        #expect(assessments.value == 2)
        #expect(collections.value >= 6, "each cycle collects too")
    }

    @Test("a collection failing between cycles counts under stage=collect and keeps the published assessment")
    func failingCollection() async throws {
        let assessment = try await ServeFixture.assessment()
        let state = ServeState()
        let metrics = ServiceMetrics()
        let down = Flag()
        struct Down: Error {}
        let service = CycleService(state: state, trigger: CycleTrigger(), interval: .seconds(3_600), collectInterval: .seconds(300),
                                   logger: Logger(label: "test"), metrics: metrics, now: { 100 },
                                   collect: { if down.value { throw Down() }; return nil }) { assessment }
        #expect(await service.runOnce())
        down.value = true
        #expect(await service.collectOnce() == false)
        let (good, failed, published) = (await state.goodCycles, await state.failedCycles, await state.published)
        #expect(good == 1 && failed == 0 && published != nil)
        let text = String(decoding: metrics.render(), as: UTF8.self)
        #expect(text.contains(#"headroom_cycle_errors_total{stage="collect"} 1"#), "\(text)")
    }
}

/// A flag a cycle closure reads (the test flips it).
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Filtered answers are encoded once per published assessment and served from memory.
@Suite(.serialized) struct AnswerCacheTests {
    @Test("a repeated filter is answered from the cache with the same bytes and ETag; an empty filter is not the absent one")
    func cached() async throws {
        let state = ServeState()
        try await state.publish(try await ServeFixture.assessment(), at: ServeFixture.end + 3_600)
        let published = try #require(await state.published)
        try await ServeFixture.withServer(state: state, options: ServeAPITests.open) { base in
            let first = try await ServeFixture.get(base + "/v1/recommendations?namespace=shop")
            let again = try await ServeFixture.get(base + "/v1/recommendations?namespace=shop")
            #expect(first.body == again.body && first.headers["etag"] == again.headers["etag"] && first.status == 200)
            let all = try ServeFixture.object(try await ServeFixture.get(base + "/v1/recommendations"))
            let none = try ServeFixture.object(try await ServeFixture.get(base + "/v1/recommendations?namespace="))
            #expect((all["containers"] as? [Any])?.count == 2)
            #expect((none["containers"] as? [Any])?.count == 0)
        }
        #expect(published.answers.count == 3)
    }
}
