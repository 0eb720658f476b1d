import Foundation
import HeadroomCore
import HeadroomEngine
@testable import HeadroomService
import HeadroomTesting
import Logging
import Testing

/// `/metrics`: the Assessment's series and the service's own, in a format Prometheus' own
/// checker accepts, over real loopback HTTP.
@Suite(.serialized) struct MetricsTests {
    static let open = ServeRouter.Options(token: nil, stalenessSeconds: 3_600, now: { ServeFixture.end + 3_600 })

    /// Sample lines of `text` (`name{labels} value`) as (series, value).
    static func samples(_ text: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            result[String(line[..<space])] = value
        }
        return result
    }

    static func labels(_ id: ContainerID, _ resource: String, _ unit: String) -> String {
        "{namespace=\"\(id.workload.namespace)\",kind=\"\(id.workload.kind.rawValue)\",workload=\"\(id.workload.name)\",container=\"\(id.container)\",resource=\"\(resource)\",unit=\"\(unit)\"}"
    }

    @Test("the recommendation series carry each container's recommended requests: CPU in cores, memory in bytes")
    func recommendations() async throws {
        let assessment = try await ServeFixture.assessment()
        let series = Self.samples(String(decoding: AssessmentMetrics.render(assessment), as: UTF8.self))
        #expect(assessment.containers.count == 2)
        for row in assessment.containers {
            let cpu = try #require(row.recommended.requests.cpu), memory = try #require(row.recommended.requests.memory)
            #expect(series["headroom_recommendation_target" + Self.labels(row.container, "cpu", "core")] == Double(cpu.millicores) / 1000)
            #expect(series["headroom_recommendation_target" + Self.labels(row.container, "memory", "byte")] == Double(memory.bytes))
            let p50 = try #require(series["headroom_forecast_p50" + Self.labels(row.container, "cpu", "core")])
            let p90 = try #require(series["headroom_forecast_p90" + Self.labels(row.container, "cpu", "core")])
            #expect(p50 > 0 && p50 <= p90)
        }
        // The default strategy has no VPA bounds, so no bound series are invented.
        #expect(!series.keys.contains { $0.hasPrefix("headroom_recommendation_lower_bound") })
    }

    @Test("monthly cost per workload is the sum of its containers' cost, current and recommended, in dollars")
    func costs() async throws {
        let assessment = try await ServeFixture.assessment()
        let series = Self.samples(String(decoding: AssessmentMetrics.render(assessment), as: UTF8.self))
        let web = try #require(assessment.containers.first { $0.container == ServeFixture.web })
        let key = "headroom_monthly_cost_dollars{namespace=\"shop\",kind=\"Deployment\",workload=\"web\",state="
        #expect(series[key + "\"current\"}"] == Double(web.current.monthlyMicrodollars) / 1_000_000)
        #expect(series[key + "\"recommended\"}"] == Double(web.recommended.monthlyMicrodollars) / 1_000_000)
        #expect(web.current.monthlyMicrodollars > 0)
    }

    @Test("promtool check metrics accepts the whole /metrics answer")
    func promtoolAccepts() async throws {
        let state = ServeState()
        let metrics = ServiceMetrics()
        metrics.recordSuccess(duration: .milliseconds(1_500), finishedAt: ServeFixture.end + 3_600)
        metrics.recordCollection(queries: 12, samples: 3_456, bytes: 78_901)
        try await state.publish(try await ServeFixture.assessment(), at: ServeFixture.end + 3_600)
        var options = Self.open
        options.metrics = metrics
        try await ServeFixture.withServer(state: state, options: options) { base in
            let answer = try await ServeFixture.get(base + "/metrics")
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let file = directory.file("metrics.txt")
            try answer.body.write(to: URL(fileURLWithPath: file))
            let check = try await ChildProcess.run("/bin/sh", ["-c", "promtool check metrics < \"$1\"", "sh", file])
            #expect(check.status == 0, "promtool: \(check.stdout)\(check.stderr)")
            let series = Self.samples(String(decoding: answer.body, as: UTF8.self))
            #expect(series["headroom_prometheus_queries_total"] == 12)
            #expect(series["headroom_collected_samples_total"] == 3_456)
            #expect(series["headroom_cycles_total{outcome=\"ok\"}"] == 1)
            #expect(series["headroom_last_success_timestamp_seconds"] == Double(ServeFixture.end + 3_600))
            #expect(series["headroom_assessment_age_seconds"] == 0)
            #expect(series.keys.contains { $0.hasPrefix("headroom_recommendation_target{") })
        }
    }

    @Test("a workload gone from the next assessment is gone from the next scrape")
    func vanishedWorkloads() async throws {
        let state = ServeState()
        let assessment = try await ServeFixture.assessment()
        let without = {
            var copy = assessment
            copy.containers.removeAll { $0.container == ServeFixture.web }
            copy.workloads.removeAll { $0.workload == ServeFixture.web.workload }
            return copy
        }()
        try await state.publish(assessment, at: ServeFixture.end + 3_600)
        try await ServeFixture.withServer(state: state, options: Self.open) { base in
            let before = String(decoding: try await ServeFixture.get(base + "/metrics").body, as: UTF8.self)
            #expect(before.contains("workload=\"web\""))
            try await state.publish(without, at: ServeFixture.end + 3_700)
            let after = String(decoding: try await ServeFixture.get(base + "/metrics").body, as: UTF8.self)
            #expect(!after.contains("workload=\"web\""))
            #expect(after.contains("workload=\"db\""))
        }
    }

    @Test("a cycle failing in collection counts under stage=\"collect\"; before any good cycle there is no age")
    func stageErrors() async throws {
        struct Down: Error {}
        let state = ServeState()
        let metrics = ServiceMetrics()
        let service = CycleService(state: state, trigger: CycleTrigger(), interval: .seconds(60), logger: Logger(label: "test"), metrics: metrics,
                                   now: { 100 }) {
            try await CycleStageError.during(.collect) { throw Down() }
        }
        #expect(await service.runOnce() == false)
        var options = Self.open
        options.metrics = metrics
        try await ServeFixture.withServer(state: state, options: options) { base in
            let series = Self.samples(String(decoding: try await ServeFixture.get(base + "/metrics").body, as: UTF8.self))
            #expect(series["headroom_cycle_errors_total{stage=\"collect\"}"] == 1)
            #expect(series["headroom_cycle_errors_total{stage=\"assess\"}"] == 0)
            #expect(series["headroom_cycles_total{outcome=\"failed\"}"] == 1)
            #expect(series["headroom_assessment_age_seconds"] == nil)
        }
    }

    @Test("with --protect-metrics, /metrics needs the token")
    func protectedMetrics() async throws {
        var options = Self.open
        options.token = "metrics-token"
        options.metricsNeedToken = true
        try await ServeFixture.withServer(state: ServeState(), options: options) { base in
            let anonymous = try await ServeFixture.get(base + "/metrics")
            let authorised = try await ServeFixture.get(base + "/metrics", headers: [("Authorization", "Bearer metrics-token")])
            #expect(anonymous.status == 401 && authorised.status == 200)
        }
        try await ServeFixture.withServer(state: ServeState(), options: Self.open) { base in
            let anonymous = try await ServeFixture.get(base + "/metrics")
            #expect(anonymous.status == 200, "open by default")
        }
    }
}

@Suite struct ExpositionWriterTests {
    @Test("label values escape backslash, quote and newline; help escapes backslash and newline")
    func escaping() {
        var writer = ExpositionWriter()
        writer.family("m", type: "gauge", help: "a\\b\nc")
        writer.sample("m", ["l": "x\"y\\z\nw"], 1)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "# HELP m a\\\\b\\nc\n# TYPE m gauge\nm{l=\"x\\\"y\\\\z\\nw\"} 1\n")
    }

    @Test("values: integers without a fraction, others round-trip, infinities and NaN as the format spells them")
    func values() {
        #expect(ExpositionWriter.format(3) == "3")
        #expect(ExpositionWriter.format(-2) == "-2")
        #expect(ExpositionWriter.format(0.125) == "0.125")
        #expect(Double(ExpositionWriter.format(1.0 / 3)) == 1.0 / 3)
        #expect(ExpositionWriter.format(1e300) == "1e+300")
        #expect(ExpositionWriter.format(.infinity) == "+Inf")
        #expect(ExpositionWriter.format(-.infinity) == "-Inf")
        #expect(ExpositionWriter.format(.nan) == "NaN")
    }
}
