import Foundation
@testable import HeadroomCollect
import HeadroomCore
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

    @Test("sample values of up to 19 digits read bit for bit as Double(String) reads them, ties of the extended path included")
    func longDecimals() throws {
        var random = SplitMix64(seed: 42)
        var texts: [String] = [
            // Go's shortest forms of computed rates, Double's neighbourhood of 2^53, the largest digits.
            "0.12345678901234568", "0.30000000000000004", "1234567890123456789", "9007199254740993", "0.9007199254740993",
            "9223372036854775807", "1.0000000000000002220", "0.0000000000000000001", "5e-324", "-0.1",
            // Rounded twice (to 64 bits, then to 53) these would come out one unit off: the ties.
            "79932.5786115943265", "628.1224034582944", "31769.0242738615907",
        ]
        for _ in 0..<20_000 {
            let digits = 1 + Int(random.next() % 19)
            var text = String(1 + random.next() % 9)
            for _ in 1..<digits { text.append(String(random.next() % 10)) }
            let point = Int(random.next() % UInt64(digits + 1))
            if point < digits { text.insert(contentsOf: point == 0 ? "0." : ".", at: text.index(text.startIndex, offsetBy: point)) }
            texts.append(random.next() % 4 == 0 ? "-" + text : text)
        }
        let values = texts.enumerated().map { #"[\#($0.offset),"\#($0.element)"]"# }.joined(separator: ",")
        let json = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[\#(values)]}]}}"#
        let read = try #require(parsed(json)?.first?.samples.map(\.value))
        let mismatches = zip(texts, read).filter { Double($0.0)?.bitPattern != $0.1.bitPattern }
        #expect(read.count == texts.count && mismatches.isEmpty, "\(mismatches.prefix(5))")
        #if arch(x86_64) && !os(Windows)
        // Some of them are the ties the extended path leaves to Double(String).
        let ties = texts.filter { text in
            let unsigned = text.hasPrefix("-") ? String(text.dropFirst()) : text
            guard let mantissa = UInt64(unsigned.replacingOccurrences(of: ".", with: "")) else { return false }
            let fraction = unsigned.firstIndex(of: ".").map { unsigned.distance(from: $0, to: unsigned.endIndex) - 1 } ?? 0
            var power: Float80 = 1
            for _ in 0..<fraction { power *= 10 }
            return (Float80(mantissa) / power).significandBitPattern & 0x7FF == 0x400
        }
        #expect(!ties.isEmpty)
        #endif
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
