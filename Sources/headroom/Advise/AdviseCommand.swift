import ArgumentParser
import Foundation
import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomManifests
import HeadroomHistory
import HeadroomRecommend

/// `headroom advise`: recommended requests, limits, HPAs and node counts, each with the risk
/// replayed over history and the monthly cost.
struct AdviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advise",
        abstract: "Recommend requests, limits, HPAs and node counts, with the risk replayed over history and the monthly cost.",
        discussion: """
            The CPU request is the level the container's 5-minute usage will exceed in --cpu-risk (default 0.3 %, about four minutes a day) of the coming two days: the recency-weighted quantile of its history (half-life two days), plus a margin for the tail's estimation error (10 % at a 1 % risk, growing as √(1 % ÷ risk)), or more where daily backtests at the two-day horizon show usage outgrowing its history. Memory likewise at --memory-risk, never below the highest working set seen (+15 %) nor an OOM kill plus the VPA's bump; memory limit = request, no CPU limit. No request exceeds the largest node it could run on (its pool's, else the catalog's) or 2× the highest usage seen; a note says when one is held. Per-workload overrides (cpu-risk, memory-risk, margin, min/max, limit policy) come from --overrides FILE (see models/advise/overrides.example.yaml) and from headroom.io/* annotations, which win. --strategy forecast sizes for the peak of the p90 forecast of the coming week plus 15 % (the former default); --strategy vpa gives the upstream VPA recommender's target (decaying CPU histogram, daily memory peaks with the OOM bump, p90 + 15 %), with its lower and upper bounds. headroom sizing evaluate compares them out of sample.

            HPAs: workloads with a CPU HPA, and Deployments of 2+ replicas whose demand peaks at 2× its median or more, are replayed through the HPA controller (15 s syncs, tolerance, stabilization windows, rate limits, 30 s pod start-up) over the --replay window. The target (50–85 %) and minimum with the fewest replica-hours that keep ready pods under 90 % of their request 99 % of the time win; the maximum is the replayed peak + 25 %; a minimum-replicas schedule by hour of week comes from the demand forecast. The CPU request under a CPU HPA is left alone so the target keeps its meaning.

            Risk of the current and the recommended configuration over --replay: CPU pressure minutes (usage above the limit, or the request without one), buckets where memory reached the limit (OOM kills), slack, and the monthly cost at the rates cost allocation charges in the pool the container is charged in (its nodes' price per allocatable core and GiB; nodes without a pool label form one pool), or at the unit prices of models/pricing/defaults.yaml and --prices where no priced pool takes it. A month is the price file's hours_per_month (730).

            Node pools: pods (HPA workloads at the peak their replay reached) binpacked onto every node type of models/pricing/nodes-aws-us-east-1.yaml at your prices (--prices) after kube/system reservations, the pool's DaemonSets (from the inventory, plus --daemonset-overhead) and --reserve; the cheapest plan wins, never below ceil(total/allocatable), a multiple of the zone count for multi-zone pools.

            --manifests DIR writes, per workload, an autoscaling/v2 HorizontalPodAutoscaler (when HPA advice exists), an autoscaling.k8s.io/v1 VerticalPodAutoscaler with updateMode "Off" carrying the recommendation, and a strategic-merge patch of the requests and limits, for review; nothing is applied. scripts/validate-manifests DIR checks them against the Kubernetes schemas.

            Examples:
              headroom advise
              headroom advise --namespace production -o json
              headroom advise --overrides models/advise/overrides.example.yaml \\
                --manifests out/
              headroom advise --daemonset-overhead cpu=150m,memory=200Mi --reserve 10
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var priceOptions: PriceOptions
    @OptionGroup var sizing: SizingOptions
    @Option(help: "Only these namespaces (repeatable).") var namespace: [String] = []
    @Option(help: "Write HPA, VPA and patch manifests into this directory.") var manifests: String?

    func run() async throws {
        var options = try sizing.adviceOptions()
        options.namespaces = namespace
        let catalog = try priceOptions.catalog()
        let progress = ProgressReporter()
        let engine = try await cluster.engine(store)
        let report = try await EngineCall.run { try await engine.advise(options, catalog: catalog, progress: progress.handler) }
        if let manifests {
            let set = ManifestSet(report.containers)
            for workload in set.skipped {
                printError("advise: no manifests for \(workload) (only Deployments, StatefulSets and DaemonSets are patched)")
            }
            try ManifestFiles.write(set, into: manifests)
            printError("advise: wrote \(set.files.count) manifests to \(manifests)")
        }
        ClusterOptions.reportWarnings(engine)
        print(try Render.output(report, format: output.format) { report.table }, terminator: "")
    }
}
