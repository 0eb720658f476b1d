import ArgumentParser

/// The root of the `headroom` command tree.
struct HeadroomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headroom",
        abstract: "Right-size Kubernetes workloads and keep their cost inside budget.",
        discussion: """
            Headroom keeps 5-minute CPU and memory usage history in a SQLite file and answers from it.

            Examples:
              headroom fixtures generate                     # the demo cluster's history
              headroom import fixtures/terrafusion/generated/usage.csv
              headroom collect --prometheus http://127.0.0.1:9090 --since 14d
              headroom usage --since 7d                      # P50/P95/max vs requests
              headroom advise --manifests out/               # requests, HPAs, pools
              headroom assess -o json                        # the whole assessment
              headroom cost allocate && headroom cost report # cost per workload, idle
              headroom budget check --budgets budgets.yaml   # exit 3 on a breach
              headroom alerts run --rules alerts.yaml --budgets budgets.yaml
              headroom reclaim --write reclaim/              # dry-run plan, audited
              headroom plan fixtures/terrafusion/plan.yaml   # nodes and cost per env
              headroom usage -o json | jq '.[] | select(.overProvisioned != [])'
              headroom db stats

            Exit codes: 0 ok, 1 failure, 2 usage error, 3 policy violation (such as a breached budget). The store is ./headroom.sqlite unless --db or HEADROOM_DB says otherwise; a store holding several clusters needs --cluster NAME.
            """,
        subcommands: [ImportCommand.self, CollectCommand.self, ForecastCommand.self, AdviseCommand.self, AssessCommand.self, ServeCommand.self, CostCommand.self, BudgetCommand.self, AlertsCommand.self, ReportCommand.self, ReclaimCommand.self, PlanCommand.self, ConformanceCommand.self, SizingCommand.self, UsageCommand.self, FixturesCommand.self, DatabaseCommand.self]
    )
}
