import ArgumentParser
import Foundation
import HeadroomRecommend

/// `headroom conformance SUITE FILE`: answers upstream-derived conformance cases.
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Answer autoscaler conformance cases (hpa, vpa, ca) with Headroom's implementations.",
        discussion: """
            Reads a case file in the neutral format of shared/conformance and prints one JSON line per case, {"id": …, "got": …} shaped like that case type's expected value, or {"id": …, "unsupported": reason}. Only each case's input is read, never its expected value. Cases whose assertions sit in their input's operations (histogram scenarios, a container's sample ingestion) are answered with got.results, one value per asserting operation in order (isEmpty and mergeCheck: bool, percentile: number, addSample: accepted, recordOOM: ok); the operations' expected, expectedAccepted, expectedOk and expectedEqualTo fields are never read. scripts/eval.d/conformance runs this command on a copy of the case file with every expected value removed, then compares with the original.

            Example:
              headroom conformance vpa ../shared/conformance/vpa_cases.json
            """
    )

    @Argument(help: "hpa, vpa or ca.") var suite: ConformanceRunner.Suite
    @Argument(help: ArgumentHelp("Case file.", valueName: "file")) var file: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        print(try ConformanceRunner.jsonLines(try ConformanceRunner.run(suite: suite, caseFile: data)), terminator: "")
    }
}

extension ConformanceRunner.Suite: ExpressibleByArgument {}
