import Foundation
@testable import HeadroomConfig
import HeadroomCore
@testable import HeadroomCost
import Testing

/// The shipped price catalog and the user's terms, read from files.
@Suite struct PriceFilesTests {
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models").path

    @Test("the shipped catalog loads: AWS and GCP types, GCP spot, OpenCost unit prices")
    func shipped() throws {
        let catalog = try PriceFiles.load(models: Self.models)
        #expect(catalog.nodeTypes["m6i.xlarge"]?.onDemand == 192_000)
        #expect(catalog.nodeTypes["e2-standard-4"]?.spot == 80_424)
        #expect(catalog.units == UnitPrices.openCostDefaults)
    }

    @Test("node prices split into CPU and RAM parts that add up; terms apply in order reserved, negotiated, list − discount")
    func terms() throws {
        var catalog = try PriceFiles.load(models: Self.models)
        try PriceFiles.apply(LocatedYAML.parse("""
            currency: USD
            discountPercent: 10
            nodeTypes:
              m6i.xlarge: 0.150
            reserved:
              - {instanceType: c6i.xlarge, count: 1, usdPerHour: 0.1}
            """, file: "terms.yaml"), to: &catalog)
        func node(_ name: String, _ type: String?, cpu: Int64 = 4000, memoryGiB: Int64 = 16) -> NodeRecord {
            NodeRecord(name: name, instanceType: type, allocatable: ResourceAmounts(cpu: CPUQuantity(millicores: cpu - 80), memory: MemoryQuantity(bytes: (memoryGiB - 2) << 30)),
                       capacity: ResourceAmounts(cpu: CPUQuantity(millicores: cpu), memory: MemoryQuantity(bytes: memoryGiB << 30)))
        }
        let priced = catalog.price([node("a", "c6i.xlarge"), node("b", "c6i.xlarge"), node("c", "m6i.xlarge"), node("d", "x9.huge")])
        #expect(priced[0].hourly == 100_000 && priced[0].basis == "reserved")
        #expect(priced[1].hourly == 153_000 && priced[1].basis == "on-demand less 10 % discount")  // 0.17 − 10 %
        #expect(priced[2].hourly == 135_000 && priced[2].basis == "negotiated less 10 % discount")  // 0.15 − 10 %
        #expect(catalog.termsLabel == "list prices with your terms: 10 % discount; negotiated prices for m6i.xlarge; reserved 1 × c6i.xlarge")
        // Unknown type: 4 vCPU × 0.031611 + 16 GiB × 0.004237 = 0.194236, less 10 %.
        #expect(priced[3].hourly == 174_812 && priced[3].basis.hasPrefix("unit prices"))
        for node in priced { #expect(node.cpuHourly + node.ramHourly == node.hourly && node.cpuHourly > node.ramHourly) }
    }

    @Test("bad terms fail at their line", arguments: [
        ("currency: EUR\n", 1, "currency \"EUR\""),
        ("nodeTypes:\n  m9.giant: 0.5\n", 2, "unknown instance type \"m9.giant\""),
        ("unitPrices:\n  cpuPerVCPUHour: -0.03\n", 2, "negative"),
        ("reserved:\n  - {instanceType: c6i.xlarge, count: 0, usdPerHour: 0.1}\n", 2, "count 0 is outside"),
        ("discountPercent: [5\n", 2, "malformed YAML"),
        ("discount: 5\n", 1, "unknown key \"discount\""),
    ])
    func badTerms(text: String, line: Int, fragment: String) throws {
        var catalog = try PriceFiles.load(models: Self.models)
        do {
            try PriceFiles.apply(LocatedYAML.parse(text, file: "terms.yaml"), to: &catalog)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line && error.description.contains(fragment), "\(error)")
        }
    }

    static let defaults = """
        cpu_usd_per_vcpu_hour: 0.031611
        ram_usd_per_gib_hour: 0.004237
        spot_cpu_usd_per_vcpu_hour: 0.006655
        spot_ram_usd_per_gib_hour: 0.000892
        storage_usd_per_gib_month: 0.04

        """

    @Test("hours_per_month in the defaults file sets the billing month; 730 when absent; out of 672–744 is an error at its line")
    func hoursPerMonth() throws {
        #expect(try PriceFiles.units(LocatedYAML.parse(Self.defaults + "hours_per_month: 720\n", file: "d.yaml")).hoursPerMonth == 720)
        #expect(try PriceFiles.units(LocatedYAML.parse(Self.defaults, file: "d.yaml")).hoursPerMonth == 730)
        do {
            _ = try PriceFiles.units(LocatedYAML.parse(Self.defaults + "hours_per_month: 1000\n", file: "d.yaml"))
            Issue.record("accepted 1000 hours a month")
        } catch {
            #expect(error.line == 6 && error.description.contains("hours_per_month 1000 is outside 672…744"), "\(error)")
        }
    }
}
