import Foundation
import HeadroomRecommend
import Testing

@Suite struct ConformanceScenarioTests {
    func answers(_ suite: ConformanceRunner.Suite, _ cases: [[String: Any]]) throws -> [String: [String: Any]] {
        let data = try JSONSerialization.data(withJSONObject: ["cases": cases])
        let rows = try ConformanceRunner.run(suite: suite, caseFile: data)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0) })
    }

    /// A linear histogram 0…10 in buckets of 1 with weights 1, 2, 3, 4 at 1…4.
    func scenario(id: String, expected: Double?) -> [String: Any] {
        var percentile: [String: Any] = ["op": "percentile", "percentile": 0.5]
        if let expected { percentile["expected"] = expected }
        let adds = (1...4).map { ["op": "add", "value": $0, "weight": $0, "timeSeconds": 0] as [String: Any] }
        return ["id": id, "type": "histogramScenario", "input": [
            "options": ["scheme": "linear", "maxValue": 10, "bucketSize": 1, "epsilon": 1e-15], "decayHalfLifeSeconds": NSNull(),
            "operations": [["op": "isEmpty"]] + adds + [percentile, ["op": "isEmpty"]],
        ] as [String: Any]]
    }

    @Test("inline assertions: the answer lists each asserting operation's result in order, and no expected field of an operation is read")
    func inline() throws {
        // A wrong expected value (99) in one copy, none in the other: the same computed answer.
        let got = try answers(.vpa, [scenario(id: "wrong", expected: 99), scenario(id: "blind", expected: nil)])
        for id in ["wrong", "blind"] {
            let results = try #require((got[id]?["got"] as? [String: Any])?["results"] as? [Any])
            #expect(results.count == 3)
            #expect(results[0] as? Bool == true && results[2] as? Bool == false)
            // Half of the weight 10 is reached in the bucket [3, 4): its end, 4.
            #expect((results[1] as? NSNumber)?.doubleValue == 4)
        }
    }

    @Test("a container's ingestion answers its histogram calls and each sample's acceptance")
    func container() throws {
        let input: [String: Any] = ["memoryAggregationIntervalSeconds": 86_400, "oomBumpUpRatio": 1.2, "oomMinBumpUpBytes": 104_857_600,
                                    "operations": [["op": "addSample", "resource": "cpu", "timeSeconds": 0, "usage": 1500],
                                                   ["op": "addSample", "resource": "cpu", "timeSeconds": 0, "usage": 1500],
                                                   ["op": "recordOOM", "timeSeconds": 5, "requestBytes": 1_000_000_000]]]
        let got = try #require(try answers(.vpa, [["id": "c", "type": "containerScenario", "input": input]])["c"]?["got"] as? [String: Any])
        #expect((got["results"] as? [Bool]) == [true, false, true])
        let calls = try #require(got["histogramCalls"] as? [[String: Any]])
        #expect(calls.count == 2)
        #expect(calls[0]["histogram"] as? String == "cpu" && (calls[0]["value"] as? NSNumber)?.doubleValue == 1.5)
        #expect(calls[1]["histogram"] as? String == "memory" && (calls[1]["value"] as? NSNumber)?.doubleValue == 1_200_000_000
                && (calls[1]["timeSeconds"] as? NSNumber)?.doubleValue == 86_405)
    }
}
