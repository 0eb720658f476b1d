import Foundation
import HeadroomCore
import HeadroomTesting
import Testing

@Suite struct SizingCommandTests {
    /// A trace folder in the shared traces' layout: two qualifying entities (9 days of CPU and
    /// memory), one of 3 days, one with CPU only.
    func folder(broken: Bool = false) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        var random = SplitMix64(seed: 5)
        var index = ["file\tsource\tmetric\tunit\tentity"]
        func write(_ entity: String, _ metric: String, days: Int, level: Double) throws {
            let file = "synthetic__\(entity)_\(metric).csv"
            var rows = ["timestamp,value"]
            for step in 0..<(days * 288) where step % 97 != 5 {
                let wave = level * (1 + 0.3 * sin(2 * Double.pi * Double(step) / 288)) * (1 + 0.1 * random.nextGaussian())
                rows.append("\(1_600_000_000 + step * 300),\(String(format: "%.4f", max(0, wave)))")
            }
            if broken, entity == "web" { rows.append("\(1_600_000_000 + days * 288 * 300),oops") }
            try (rows.joined(separator: "\n") + "\n").write(toFile: directory.file(file), atomically: true, encoding: .utf8)
            index.append("\(file)\tsynthetic\t\(metric)\tpercent\t\(entity)")
        }
        try write("web", "cpu_util", days: 9, level: 40)
        try write("web", "mem_util", days: 9, level: 50)
        try write("db", "cpu_util", days: 9, level: 20)
        try write("db", "mem_util", days: 9, level: 70)
        try write("short", "cpu_util", days: 3, level: 20)
        try write("short", "mem_util", days: 3, level: 20)
        try write("cpuonly", "cpu_util", days: 9, level: 20)
        try (index.joined(separator: "\n") + "\n").write(toFile: directory.file("series.tsv"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test("JSON holds every figure for the qualifying containers; the short one is skipped by name, the CPU-only one ignored")
    func json() async throws {
        let directory = try folder()
        defer { directory.remove() }
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["sizing", "evaluate", "--traces", directory.path, "-o", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("skipped short: the shared bins span 3.00 days, under 7.9"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["containers"] as? [String] == ["db", "web"])
        let rows = try #require(document["headroom"] as? [[String: Any]])
        #expect(rows.count == 3)
        #expect(rows.compactMap { $0["cpuRisk"] as? Double } == [0.003, 0.01, 0.05])
        #expect((document["percentile"] as? [Any])?.count == 35)
        #expect(((document["overrunFrontier"] as? [String: Any])?["points"] as? [Any])?.isEmpty == false)
    }

    @Test("the table names Headroom's rows, KRR's rule, the VPA and the frontier")
    func table() async throws {
        let directory = try folder()
        defer { directory.remove() }
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["sizing", "evaluate", "--traces", directory.path, "--calibration", "2%"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("sizing") == true && lines.first?.contains("saved @overrun") == true)
        #expect(lines.contains { $0.hasPrefix("headroom risk default") } && lines.contains { $0.hasPrefix("headroom risk 2%") })
        #expect(lines.contains { $0.hasPrefix("krr simple") } && lines.contains { $0.hasPrefix("vpa recommender") })
        #expect(lines.contains { $0.hasPrefix("frontier: p") })
    }

    @Test("a bad risk target and an unreadable trace exit 2 with the reason; a folder without series.tsv likewise")
    func errors() async throws {
        let directory = try folder(broken: true)
        defer { directory.remove() }
        let binary = try ChildProcess.headroomBinary()
        let badRisk = try await ChildProcess.run(binary, ["sizing", "evaluate", "--traces", directory.path, "--calibration", "0%"])
        #expect(badRisk.status == 2 && badRisk.stderr.contains("must be a risk above 0"), "\(badRisk.stderr)")
        let broken = try await ChildProcess.run(binary, ["sizing", "evaluate", "--traces", directory.path])
        #expect(broken.status == 2 && broken.stderr.contains("synthetic__web_cpu_util.csv:") && broken.stderr.contains("\"oops\" is not a number"), "\(broken.stderr)")
        let empty = try TemporaryDirectory()
        defer { empty.remove() }
        let missing = try await ChildProcess.run(binary, ["sizing", "evaluate", "--traces", empty.path])
        #expect(missing.status == 2 && missing.stderr.contains("cannot read \(empty.path)/series.tsv"))
    }
}
