import HeadroomCore
import HeadroomCost

/// Everything the assessment is computed with, as values (HeadroomConfig reads the files):
/// prices, sizing policy and overrides, budgets, windows and thresholds.
public struct AssessmentConfiguration: Sendable {
    /// The price catalog at the user's terms.
    public var catalog: PriceCatalog
    /// Strategy, windows, overrides and node-pool planning.
    public var advice = AdviceOptions()
    public var budgets: [Budget] = []
    /// Allocation window, back from the end of the stored usage.
    public var allocationSeconds: Int64 = 30 * 86_400
    /// Shared namespaces and how their cost is spread in the namespace and label breakdowns.
    public var costReport = CostReport.Options()
    /// Days of near-zero CPU that make a workload idle, and the smallest saving worth an item.
    public var idleDays = 7
    public var minimumSaving: Microdollars = 1_000_000
    /// Hourly usage kept between the service's cycles for allocation; nil reads it all (the CLI).
    public var usageHours: UsageHoursCache?
    /// The last days of CPU kept between the service's cycles for the idle rule; nil reads them.
    public var recentCPU: RecentCPUCache?
    /// Whether the allocation and the idle rule take the usage the advice has just read instead
    /// of reading it again (the same values either way; false reads each part from the store
    /// as its own command does, for comparisons).
    public var shareReads = true

    public init(catalog: PriceCatalog) {
        self.catalog = catalog
    }
}
