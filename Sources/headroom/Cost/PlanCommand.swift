import ArgumentParser
import Foundation
import HeadroomConfig
import HeadroomCore
import HeadroomCost
import HeadroomRecommend

/// `headroom plan FILE`: node counts and monthly cost per environment from a capacity plan.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Estimate node counts and monthly cost per environment from declared replicas and requests.",
        discussion: """
            Reads a plan like fixtures/terrafusion/plan.yaml (environments, zones, workloads with replicas min/max, requests, node pool, volumes). Each pool's pods at their maximum replicas are binpacked onto the AWS us-east-1 types of the catalog (EKS allocatable, the cheapest plan, a multiple of the zones), at your prices when --prices is given; volumes at the storage rate. Next to it: the plan's own resource estimate, when it has one. Node and volume prices are only part of a platform's bill (see the README).

            Examples:
              headroom plan fixtures/terrafusion/plan.yaml
              headroom plan plan.yaml --prices my-terms.yaml -o json
            """
    )

    @Argument(help: "The plan (YAML).") var file: String
    @OptionGroup var priceOptions: PriceOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let plan: CapacityPlan
        do { plan = try CapacityPlanFile.load(file) } catch { throw ValidationError(error.description) }
        let estimates: [EnvironmentEstimate]
        let catalog = try priceOptions.catalog()
        do { estimates = try plan.estimate(prices: catalog) } catch {
            throw ValidationError("\(file): \(error)")
        }
        let report = PlanReport(environments: estimates, prices: catalog.termsLabel, hoursPerMonth: catalog.units.hoursPerMonth)
        print(try Render.output(report, format: output.format) { report.table }, terminator: "")
    }
}

/// Cores without trailing zeros: 10500m → "10.5".
func cores(_ millicores: Int64) -> String {
    var text = String(format: "%.3f", Double(millicores) / 1000)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}

struct PlanReport: Encodable {
    var environments: [EnvironmentEstimate]
    var prices: String
    var hoursPerMonth: Int64

    var table: String {
        var table = TextTable(headers: ["ENVIRONMENT", "REQUESTS MIN–MAX", "NODES", "NODES $/MONTH", "VOLUMES", "TOTAL", "PLAN'S ESTIMATE", "PLAN ÷ OURS"])
        table.rightAligned = [3, 4, 5, 6, 7]
        for estimate in environments {
            func amounts(_ value: ResourceAmounts) -> String {
                cores(value.cpu?.millicores ?? 0) + " / " + (value.memory.map { String(format: "%.0fGi", Double($0.bytes) / Double(1 << 30)) } ?? "-")
            }
            let nodes = estimate.pools.map { "\($0.pool): \($0.plan.nodes) × \($0.plan.nodeType)" }.joined(separator: ", ")
            let planned = estimate.planEstimate.map { "\(Money.dollars($0.monthlyLow))–\(Money.dollars($0.monthlyHigh))" } ?? "-"
            let ratio = estimate.planEstimate.map {
                String(format: "%.1f–%.1f×", Double($0.monthlyLow) / Double(estimate.monthly), Double($0.monthlyHigh) / Double(estimate.monthly))
            } ?? "-"
            table.rows.append([estimate.environment, "\(amounts(estimate.requestsAtMin)) – \(amounts(estimate.requestsAtMax))", nodes,
                               Money.dollars(estimate.nodesMonthly), Money.dollars(estimate.volumesMonthly), Money.dollars(estimate.monthly), planned, ratio])
        }
        return table.render() + "Nodes at \(prices) (\(hoursPerMonth) h), pods at maximum replicas; volumes at the storage rate. "
            + "Not included: control plane, load balancers, NAT, egress, managed services, monitoring, support.\n"
    }
}
