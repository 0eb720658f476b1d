import ArgumentParser
import Foundation
import HeadroomCollect
import HeadroomCore
import HeadroomRecommend

/// Reads the sizing protocol's containers from a trace folder: `series.tsv` (tab-separated,
/// with the columns file, metric and entity) and its `timestamp,value` CSV files.
enum SizingTraceFolder {
    static func load(_ folder: String) throws -> (traces: [SizingTrace], skipped: [String]) {
        let index = "\(folder)/series.tsv"
        guard let text = try? String(contentsOfFile: index, encoding: .utf8) else { throw ValidationError("cannot read \(index)") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let file = header.firstIndex(of: "file"), let metric = header.firstIndex(of: "metric"),
              let entity = header.firstIndex(of: "entity")
        else { throw ValidationError("\(index):1: the header must name the columns file, metric and entity") }
        var files: [String: [String: String]] = [:]
        for (number, row) in lines.enumerated().dropFirst() {
            guard row.count > max(file, metric, entity) else { throw ValidationError("\(index):\(number + 1): expected \(header.count) tab-separated fields, found \(row.count)") }
            files[row[entity], default: [:]][row[metric]] = row[file]
        }
        var traces: [SizingTrace] = []
        var skipped: [String] = []
        for (name, metrics) in files.sorted(by: { $0.key < $1.key }) {
            guard let cpuFile = metrics["cpu_util"], let memoryFile = metrics["mem_util"] else { continue }
            let cpu = try series("\(folder)/\(cpuFile)")
            let memory = try series("\(folder)/\(memoryFile)")
            do { traces.append(try SizingTrace.fromUtilization(name: name, cpuPercent: cpu, memoryPercent: memory)) } catch {
                skipped.append("\(name): \(error)")
            }
        }
        return (traces, skipped)
    }

    private static func series(_ path: String) throws -> RegularSeries {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
        do { return try TimeValueCSV.parse(text, file: path) } catch { throw ValidationError(error.description) }
    }
}
