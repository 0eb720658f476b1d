import ArgumentParser

/// Output formats every reporting command offers.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, yaml
}

/// `-o table|json|yaml`.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: table, json or yaml.")
    var format: OutputFormat = .table
}
