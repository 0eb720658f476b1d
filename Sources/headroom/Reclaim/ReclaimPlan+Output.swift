import ArgumentParser
import Foundation
import HeadroomCore
import HeadroomCost

extension ReclaimPlan {
    var table: String {
        var table = TextTable(headers: ["KIND", "TARGET", "$/MONTH", "RISK", "EVIDENCE"])
        table.rightAligned = [2]
        for item in items {
            table.rows.append([item.kind.rawValue, item.target, Money.dollars(item.monthlySavingMicrodollars), item.risk, item.evidence])
        }
        let commands = items.map { "  \($0.command)" }.joined(separator: "\n")
        return "Reclamation plan\(auditID.map { " #\($0)" } ?? "") (dry run; nothing was changed):\n" + table.render()
            + "\nTotal: \(Money.dollars(monthlySaving)) a month.\nChanges, for review:\n\(commands)\n"
            + (notCovered.isEmpty ? "" : "Not covered: \(notCovered.joined(separator: "; ")).\n")
    }
}

/// `--write DIR`: patches, a commands file and the plan, written for review (never run).
struct ReclaimWriter {
    let directory: String

    func write(_ plan: ReclaimPlan) throws {
        let root = URL(fileURLWithPath: directory)
        do {
            for item in plan.items {
                guard let file = item.patchFile, let patch = item.patch else { continue }
                let url = root.appendingPathComponent(file)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(patch.utf8).write(to: url, options: .atomic)
            }
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            var script = "#!/bin/sh\n# Reclamation plan\(plan.auditID.map { " #\($0)" } ?? "") written by headroom reclaim. Review, then run the lines you accept\n"
                + "# from this directory. Headroom itself changes nothing.\nset -eu\nexit 0  # remove after review\n\n"
            for item in plan.items {
                script += "# \(item.kind.rawValue): \(item.target), \(Money.dollars(item.monthlySavingMicrodollars))/month. Risk: \(item.risk)\n\(item.command)\n\n"
            }
            try Data(script.utf8).write(to: root.appendingPathComponent("commands.sh"), options: .atomic)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(plan).write(to: root.appendingPathComponent("plan.json"), options: .atomic)
        } catch {
            throw ValidationError("cannot write the plan into \(directory): \(error.localizedDescription)")
        }
    }
}
