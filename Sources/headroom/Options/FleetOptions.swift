import ArgumentParser

/// `--clusters all|a,b`: answer for several clusters of the store at once (the fleet view),
/// instead of the one `--cluster` names.
struct FleetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Several clusters of the store: 'all' or a comma-separated list.", valueName: "all|names"))
    var clusters: String?

    /// nil: one cluster (`--cluster`); `.some(nil)`: every cluster; otherwise the names given.
    var selection: [String]?? {
        guard let clusters else { return nil }
        return .some(clusters == "all" ? nil : clusters.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// `--cluster` and `--clusters` exclude each other; `--clusters` needs something.
    func validate(with cluster: ClusterOptions) throws {
        if clusters != nil && cluster.name != nil { throw ValidationError("--cluster and --clusters exclude each other: pass one") }
        if let clusters, clusters.split(separator: ",").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--clusters needs 'all' or cluster names")
        }
    }
}
