import Foundation
@testable import HeadroomCollect
import Testing

@Suite struct PrometheusAnswerParserTests {
    /// What JSONDecoder makes of an answer, as series.
    func decoded(_ json: String) -> [PrometheusSeries]? {
        guard let envelope = try? JSONDecoder().decode(PrometheusEnvelope<PrometheusQueryData>.self, from: Data(json.utf8)),
              envelope.status == "success", let data = envelope.data else { return nil }
        return data.series
    }

    func parsed(_ json: String) -> [PrometheusSeries]? {
        PrometheusAnswerParser.parse(Data(json.utf8))?.series
    }

    @Test("matrix and vector answers read as JSONDecoder reads them, NaN, infinities and millisecond times included", arguments: [
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"m","pod":"p-1"},"values":[[1.5,"2"],[3,"NaN"],[4,"+Inf"],[5,"-Inf"],[1795305900.123,"0.1234567890123456789"]]}]}}"#,
        #"{ "status" : "success" , "warnings":["x"], "data" : { "result" : [ { "value" : [ 1795305900 , "1e-3" ] , "metric" : { } } ] , "resultType" : "vector" } }"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"é ✓"},"values":[[-0,"1E+300"],[12345678901234.567,"-2.5e-310"],[1e3,"0"]]}]}}"#,
    ])
    func sameAsJSONDecoder(json: String) throws {
        let fast = try #require(parsed(json), "declined")
        #expect(fast == decoded(json))
    }

    @Test("anything unusual is declined, to be read by JSONDecoder instead", arguments: [
        #"{"status":"error","errorType":"execution","error":"query processing would load too many samples"}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"a\"b"},"values":[]}]}}"#,   // an escape
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"a","pod":"b"},"values":[]}]}}"#,   // a repeated key
        #"{"status":"success","data":{"resultType":"matrix","result":[]}} trailing"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[]},"warnings":[1]}"#,   // JSONDecoder wants strings
        #"{"status":"success","data":{"resultType":"matrix","result":[,]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[01,"1"]]}]}}"#,   // a leading zero
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"abc"]]}]}}"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1,"1"]]}]}}"#,   // no metric
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]"#,   // cut off
        "",
        // Found by the fuzz target prometheus-json: a NUL inside a value, which JSON forbids and
        // Double(String) reads as the number before it.
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1795300000,\"1\u{0}\u{0}00\"]]}]}}",
    ])
    func declines(json: String) {
        #expect(parsed(json) == nil)
    }
}

@Suite struct SeriesListingParserTests {
    func decoded(_ json: String) -> [[String: String]]? {
        guard let envelope = try? JSONDecoder().decode(PrometheusEnvelope<[[String: String]]>.self, from: Data(json.utf8)),
              envelope.status == "success" else { return nil }
        return envelope.data
    }

    @Test("series listings read as JSONDecoder reads them", arguments: [
        #"{"status":"success","data":[{"__name__":"m","namespace":"prod","pod":"api-1"},{"__name__":"m","pod":"é ✓"}]}"#,
        #"{ "data" : [ ] , "status" : "success", "warnings": ["x"], "error": null, "infos": [{"a": [1, 2.5, true, null]}] }"#,
    ])
    func sameAsJSONDecoder(json: String) throws {
        let fast = try #require(PrometheusAnswerParser.parseLabelSets(Data(json.utf8)), "declined")
        #expect(fast == decoded(json))
    }

    @Test("anything unusual is declined, to be read by JSONDecoder instead", arguments: [
        #"{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}"#,
        #"{"status":"success","data":[{"pod":"a\"b"}]}"#,
        #"{"status":"success","data":[{"pod":"a","pod":"b"}]}"#,
        #"{"status":"success","data":[{"pod":1}]}"#,
        #"{"status":"success","data":[{"pod":"a"},]}"#,
        #"{"status":"success","data":[{"pod":"a"}]"#,
        #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#,
        // JSONDecoder refuses warnings that are not strings: so must the fast reader.
        #"{"status":"success","data":[],"warnings":["x",{"a":1}]}"#,
        #"{"status":"success","data":[],"error":1}"#,
        #"{"status":"success","data":[],"warnings":[],"warnings":[]}"#,
    ])
    func declines(json: String) {
        #expect(PrometheusAnswerParser.parseLabelSets(Data(json.utf8)) == nil)
    }
}
