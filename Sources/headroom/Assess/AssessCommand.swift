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
    @OptionGroup var priceOptions: PriceOptions
    @OptionGroup var sizing: SizingOptions
    @Option(help: "Budget file (YAML); without one the assessment has no budgets.") var budgets: String?
    @Option(help: "Window allocated, back from the latest usage.") var allocationWindow: String = "30d"
    @Option(help: "Shared namespaces, comma-separated.") var shared: String = "kube-system,monitoring"
    @Option(help: "uniform, proportional or none.") var share: SharedCostDistribution = .proportional
    @Option(help: "Days of near-zero CPU that make a workload idle.") var idleDays: Int = 7
    @Option(help: "Smallest monthly saving (USD) worth a reclamation item.") var minimumSaving: String = "1"
    @Option(help: "The moment to assess at, unix seconds (default: now); freshness is measured from it.") var now: Int64?

    func validate() throws {
        do { _ = try DurationParser.seconds(allocationWindow) } catch { throw ValidationError(error.description) }
        guard idleDays >= 1 && idleDays <= 60 else { throw ValidationError("--idle-days must be 1…60") }
        guard Money.microdollars(minimumSaving) != nil else { throw ValidationError("--minimum-saving \"\(minimumSaving)\" is not a USD amount") }
    }

    func run() async throws {
        var configuration = AssessmentConfiguration(catalog: try priceOptions.catalog())
        configuration.advice = try sizing.adviceOptions()
        if let budgets {
            do { configuration.budgets = try BudgetFile.load(budgets).budgets } catch { throw ValidationError(error.description) }
        }
        configuration.allocationSeconds = try DurationParser.seconds(allocationWindow)
        configuration.costReport = CostReport.Options(sharedNamespaces: Set(shared.split(separator: ",").map(String.init)), distribution: share)
        configuration.idleDays = idleDays
        configuration.minimumSaving = Money.microdollars(minimumSaving)!
        let engine = try cluster.engine(store)
        let progress = ProgressReporter()
        let assessment = try await EngineCall.run {
            try await engine.assess(configuration, now: now ?? Int64(Date().timeIntervalSince1970), progress: progress.handler)
        }
        print(try Render.output(assessment, format: output.format) { assessment.table }, terminator: "")
    }
}
