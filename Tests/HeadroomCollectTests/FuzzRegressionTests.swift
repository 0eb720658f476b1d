import Foundation
@testable import HeadroomCollect
import HeadroomCore
import Testing

/// Inputs the fuzzers found that crashed Headroom, kept as they were found (Fixtures/fuzz/).
@Suite struct FuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    @Test("a Prometheus answer with a sample time of 10^73 is refused, naming the metric, instead of trapping on Int64(time)")
    func hugeTimestampInAnswer() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("prometheus-json-huge-timestamp.json"))
        let answer = try #require(try JSONDecoder().decode(PrometheusEnvelope<PrometheusQueryData>.self, from: data).data)
        var state = ExpositionState()
        var refused: [String] = []
        for series in answer.result {
            var labels: [Substring: String] = [:]
            for (key, value) in series.metric { labels[Substring(key)] = value }
            for pair in (series.values ?? []) + (series.value.map { [$0] } ?? []) where pair.value.isFinite {
                let sample = ExpositionSample(name: Substring(series.metric["__name__"]!), labels: labels, value: pair.value, timestamp: pair.time)
                do throws(ExpositionSyntaxError) { try state.add(sample, time: pair.time, line: 0) } catch { refused.append(error.reason) }
            }
        }
        #expect(refused == ["kube_deployment_spec_replicas sample at time 1.7953333333333333e+73 is outside 1970–2100 (not unix seconds)"])
    }

    @Test("an answer with NUL bytes inside a sample value is declined by the fast parser, as JSONDecoder refuses it (the parser had read \"1\\0\\0…00\" as 1)")
    func nulInSampleValue() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("prometheus-json-nul-in-value.json"))
        #expect(PrometheusAnswerParser.parse(data) == nil)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(PrometheusEnvelope<PrometheusQueryData>.self, from: data) }
    }
}
