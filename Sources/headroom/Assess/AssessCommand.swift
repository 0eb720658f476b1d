import ArgumentParser
import Foundation
import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomEngine

/// `headroom assess`: the whole assessment of the cluster in one versioned document.
struct AssessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Print the assessment: advice, HPAs, node pools, allocation, budgets, reclamation and data freshness in one document.",
        discussion: """
            The assessment is what every Headroom output renders: per container the current and recommended requests and limits with the forecast bands behind them, the replayed risk, the monthly cost and a confidence; per workload the HPA advice; per pool the node plans; the allocation of the window per container, namespace, pool and label with idle cost and unattached volumes; per budget the month to date, the P10–P90 projection, the status and the quota findings; the reclamation plan; and when each source last delivered data. It has a versioned schema (apiVersion headroom.io/v1alpha1, kind Assessment; see docs/assessment.md) and equals what advise, cost report, budget check and reclaim print for the same store.

            The allocation is computed over --allocation-window and not stored (assess only reads the store); run 'headroom cost allocate' to store it for cost report, budget check and reclaim.

            Examples:
              headroom assess -o json > assessment.json
              headroom assess --budgets models/budgets/terrafusion.example.yaml -o yaml
              headroom assess -o json | jq '.totals'
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: AssessmentOptions
    @Option(help: "The moment to assess at, unix seconds (default: now); freshness is measured from it.") var now: Int64?

    func run() async throws {
        let configuration = try options.configuration()
        let engine = try await cluster.engine(store)
        let progress = ProgressReporter()
        let assessment = try await EngineCall.run {
            try await engine.assess(configuration, now: now ?? Int64(Date().timeIntervalSince1970), progress: progress.handler)
        }
        print(try Render.output(assessment, format: output.format) { assessment.table }, terminator: "")
    }
}
