import ArgumentParser
import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomEngine

/// What an assessment is computed with (prices, sizing, budgets, windows), shared by `assess`
/// and `serve` so both compute the same document from the same flags.
struct AssessmentOptions: ParsableArguments {
    @OptionGroup var priceOptions: PriceOptions
    @OptionGroup var sizing: SizingOptions
    @Option(help: "Budget file (YAML); without one the assessment has no budgets.") var budgets: String?
    @Option(help: "Window allocated, back from the latest usage.") var allocationWindow: String = "30d"
    @Option(help: "Shared namespaces, comma-separated.") var shared: String = "kube-system,monitoring"
    @Option(help: "uniform, proportional or none.") var share: SharedCostDistribution = .proportional
    @Option(help: "Days of near-zero CPU that make a workload idle.") var idleDays: Int = 7
    @Option(help: "Smallest monthly saving (USD) worth a reclamation item.") var minimumSaving: String = "1"

    func validate() throws {
        do { _ = try DurationParser.seconds(allocationWindow) } catch { throw ValidationError(error.description) }
        guard idleDays >= 1 && idleDays <= 60 else { throw ValidationError("--idle-days must be 1…60") }
        guard Money.microdollars(minimumSaving) != nil else { throw ValidationError("--minimum-saving \"\(minimumSaving)\" is not a USD amount") }
    }

    func configuration() throws -> AssessmentConfiguration {
        var configuration = AssessmentConfiguration(catalog: try priceOptions.catalog())
        configuration.advice = try sizing.adviceOptions()
        if let budgets {
            do { configuration.budgets = try BudgetFile.load(budgets).budgets } catch { throw ValidationError(error.description) }
        }
        configuration.allocationSeconds = try DurationParser.seconds(allocationWindow)
        configuration.costReport = CostReport.Options(sharedNamespaces: Set(shared.split(separator: ",").map(String.init)), distribution: share)
        configuration.idleDays = idleDays
        guard let saving = Money.microdollars(minimumSaving) else { throw ValidationError("--minimum-saving \"\(minimumSaving)\" is not a USD amount") }
        configuration.minimumSaving = saving
        return configuration
    }
}
