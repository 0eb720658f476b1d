import Foundation
@testable import HeadroomCollect
import Testing

@Suite struct PrometheusAnswerStreamTests {
    /// Feeds `json` in pieces of `piece` bytes; the series handed over and the result type (nil: declined).
    func streamed(_ json: String, piece: Int) -> (series: [PrometheusSeries], resultType: String?, stream: PrometheusAnswerStream) {
        var stream = PrometheusAnswerStream()
        var series: [PrometheusSeries] = []
        let bytes = Array(json.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + piece)
            bytes[start..<end].withUnsafeBytes { stream.feed($0) { series.append($0) } }
            start = end
        }
        let resultType = stream.finish { series.append($0) }
        return (series, resultType, stream)
    }

    static let matrix = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"m","pod":"p-1","note":"{[}]"},"values":[[1.5,"2"],[3,"NaN"],[4,"+Inf"]]} , {"metric":{"pod":"p-2"},"values":[[1795305900.123,"0.25"]]}]},"warnings":["x"]}"#

    @Test("any split of an answer gives the series the whole-body parser reads, braces inside strings included", arguments: [1, 2, 7, 64, 100_000])
    func anySplit(piece: Int) throws {
        let whole = try #require(PrometheusAnswerParser.parse(Data(Self.matrix.utf8)))
        let result = streamed(Self.matrix, piece: piece)
        #expect(result.resultType == "matrix")
        #expect(result.series == whole.series)
        #expect(result.series.count == 2)
    }

    @Test("only the envelope is kept: the series are cut out of the skeleton")
    func skeletonIsTheEnvelope() {
        let result = streamed(Self.matrix, piece: 10)
        #expect(String(decoding: result.stream.skeleton, as: UTF8.self)
            == #"{"status":"success","data":{"resultType":"matrix","result":[]},"warnings":["x"]}"#)
        #expect(result.stream.bytesSeen == Self.matrix.utf8.count)
    }

    @Test("what the whole-body parser declines, the stream declines", arguments: [
        #"{"status":"error","errorType":"execution","error":"query processing would load too many samples"}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"a\"b"},"values":[]}]}}"#,
        #"{"status":"success","d\u0061ta":{"resultType":"vector","result":[{"metric":{"pod":"a"},"value":[1,"5"]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[]},]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[,{"metric":{},"values":[]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[]} {"metric":{},"values":[]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[1]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[]},"data":{"resultType":"matrix","result":[]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]"#,
        "<html>502 Bad Gateway</html>",
        "",
    ])
    func declines(json: String) {
        #expect(PrometheusAnswerParser.parse(Data(json.utf8)) == nil)
        #expect(streamed(json, piece: 5).resultType == nil)
    }

    @Test("an error answer stays whole in the skeleton, for its message")
    func errorAnswerKept() {
        let json = #"{"status":"error","errorType":"execution","error":"query processing would load too many samples"}"#
        #expect(String(decoding: streamed(json, piece: 4).stream.skeleton, as: UTF8.self) == json)
    }

    @Test("nesting deeper than 512 is declined without recursion")
    func deepNesting() {
        let json = #"{"status":"success","x":"# + String(repeating: "[", count: 100_000)
        #expect(streamed(json, piece: 4096).resultType == nil)
    }

    @Test("memory stays with one series: a 20,000-series answer keeps a skeleton of under 100 bytes")
    func boundedMemory() {
        let one = #"{"metric":{"pod":"p"},"values":[[1,"1"],[2,"2"]]}"#
        let json = #"{"status":"success","data":{"resultType":"matrix","result":["# + Array(repeating: one, count: 20_000).joined(separator: ",") + "]}}"
        let result = streamed(json, piece: 16_384)
        #expect(result.series.count == 20_000)
        #expect(result.stream.skeleton.count < 100)
    }
}
