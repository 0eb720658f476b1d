import ArgumentParser
import Foundation

/// `--jobs N`: containers advised in parallel, by default one per core. The default is resolved
/// at run time, so help reads the same on every machine.
struct JobsOption: ParsableArguments {
    @Option(name: .customLong("jobs"), help: ArgumentHelp("Containers advised in parallel (default: the number of cores).", valueName: "n"))
    var value: Int?

    func validate() throws {
        if let value, value < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    var count: Int { value ?? ProcessInfo.processInfo.activeProcessorCount }
}
