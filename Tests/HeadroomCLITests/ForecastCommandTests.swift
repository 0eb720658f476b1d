import Foundation
import HeadroomTesting
import Testing

@Suite struct ForecastCommandTests {
    /// Three days of a 5-minute daily wave, with one missing row.
    func waveCSV(start: Int64 = 0) -> String {
        var rows = ["timestamp,value"]
        for index in 0..<(3 * 288) where index != 100 {
            rows.append("\(start + Int64(index) * 300),\(50 + 20 * sin(2 * Double.pi * Double(index) / 288))")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    @Test("a directory of series: the exact CSV interface, and a bad file fails alone")
    func directory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = directory.file("in")
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try waveCSV().write(toFile: "\(input)/web_cpu.csv", atomically: true, encoding: .utf8)
        try "timestamp,value\n0,1\n300,oops\n".write(toFile: "\(input)/broken.csv", atomically: true, encoding: .utf8)
        let output = directory.file("out.csv")
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), [
            "forecast", "--input", input, "--horizon", "1d", "--quantiles", "0.1,0.5,0.9,0.05,0.975", "--output", output,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(input)/broken.csv:3: value \"oops\" is not a number"))
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "series,timestamp,p50,p10,p90,p05,p97.5")
        #expect(lines.count == 1 + 288)
        let first = lines[1].split(separator: ",")
        #expect(first[0] == "web_cpu" && first[1] == "\(3 * 288 * 300)")
        #expect(lines.last!.split(separator: ",")[1] == "\(3 * 288 * 300 + 287 * 300)")
        // The wave continues: one day after the start of the input it is back at 50.
        #expect(abs(Double(first[2])! - 50) < 1)
    }

    @Test("stored history forecasts through --db and a workload selector")
    func fromStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        var rows = ["timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes"]
        for index in 0..<(2 * 288) { rows.append("\(index * 300),prod,Deployment,api,app,0.\(100 + index % 288),1000") }
        let csv = try directory.write("u.csv", rows.joined(separator: "\n"))
        let store = directory.file("h.sqlite")
        #expect(try await ChildProcess.run(binary, ["import", "--db", store, csv]).status == 0)
        let output = directory.file("api.csv")
        let result = try await ChildProcess.run(binary, ["forecast", "--db", store, "--namespace", "prod", "--workload", "api",
                                                   "--resource", "cpu", "--horizon", "2h", "--output", output, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 + 24)
        #expect(lines[1].hasPrefix("prod/Deployment/api/app/cpu,\(2 * 288 * 300),"))
        #expect(result.stdout.contains("\"model\""))
    }

    @Test("bad quantiles and both sources at once are usage errors")
    func usage() async throws {
        let binary = try ChildProcess.headroomBinary()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.file("x.csv")
        #expect(try await ChildProcess.run(binary, ["forecast", "--input", "x", "--quantiles", "0,1.5", "--output", output]).status == 2)
        #expect(try await ChildProcess.run(binary, ["forecast", "--input", "x", "--db", "y", "--output", output]).status == 2)
    }
}
