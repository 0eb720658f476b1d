import Foundation

/// Answers the neutral conformance cases of `shared/conformance/` (drawn from the upstream
/// autoscalers' unit tests) with Headroom's own implementations. It reads each case's `input`
/// only, never its `expected`, and returns `{"id": …, "got": …}` with `got` shaped like that
/// type's `expected`, or `{"id": …, "unsupported": reason}`.
public enum ConformanceRunner {
    public enum Suite: String, CaseIterable, Sendable {
        case hpa, vpa, ca
    }

    /// One JSON object per case, in file order.
    public static func run(suite: Suite, caseFile data: Data) throws -> [[String: Any]] {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [[String: Any]]
        else { throw VPAError("not a conformance case file: expected an object with \"cases\"") }
        return cases.map { testCase in
            let id = testCase["id"] as? String ?? "?"
            let type = testCase["type"] as? String ?? "?"
            let input = testCase["input"] as? [String: Any] ?? [:]
            let answer: Answer
            switch suite {
            case .vpa: answer = VPAConformance.answer(type: type, input: input)
            case .ca: answer = CAConformance.answer(type: type, input: input)
            case .hpa: answer = HPAConformance.answer(type: type, input: input)
            }
            switch answer {
            case .got(let got): return ["id": id, "got": got]
            case .unsupported(let reason): return ["id": id, "unsupported": reason]
            }
        }
    }

    /// One line of JSON per case, keys sorted.
    public static func jsonLines(_ answers: [[String: Any]]) throws -> String {
        try answers.map { answer in
            String(decoding: try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    enum Answer {
        case got([String: Any])
        case unsupported(String)
    }
}

/// Reading helpers for the untyped case input.
extension Dictionary where Key == String, Value == Any {
    func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    func int(_ key: String) -> Int64? { (self[key] as? NSNumber)?.int64Value }
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func objects(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
}
