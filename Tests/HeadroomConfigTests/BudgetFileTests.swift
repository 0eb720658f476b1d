import HeadroomConfig
import HeadroomCore
import HeadroomCost
import Testing

@Suite struct BudgetFileTests {
    @Test("budget files read namespaces, amounts and thresholds")
    func parse() throws {
        let file = try BudgetFile.parse(LocatedYAML.parse("""
            currency: USD
            thresholds: [50, 90]
            budgets:
              - name: prod
                namespace: production
                monthlyUSD: 1200.50
              - name: preprod
                namespaces: [staging, qa]
                monthlyUSD: 300
                thresholds: [100]
              - name: payments
                labels: {team: payments}
                monthlyUSD: 40
            """, file: "b.yaml"))
        let payments = file.budgets[2]
        #expect(payments.covers(cluster: "c", namespace: "production", labels: ["team": "payments", "app": "x"]))
        #expect(!payments.covers(cluster: "c", namespace: "production", labels: ["team": "web"]) && !payments.covers(cluster: "c", namespace: "x", labels: [:]))
        #expect(file.budgets[1].covers(cluster: "c", namespace: "qa", labels: [:]) && !file.budgets[1].covers(cluster: "c", namespace: "production", labels: [:]))
        #expect(file.budgets.map(\.name) == ["prod", "preprod", "payments"])
        #expect(file.budgets[0].monthly == 1_200_500_000 && file.budgets[0].thresholds == [50, 90])
        #expect(file.budgets[1].namespaces == ["staging", "qa"] && file.budgets[1].thresholds == [100])
    }

    @Test("a budget may name the clusters it spans; without them it covers every cluster checked")
    func clusters() throws {
        let file = try BudgetFile.parse(LocatedYAML.parse("""
            budgets:
              - {name: shop-prod, namespace: shop, clusters: [production, production-eu], monthlyUSD: 900}
              - {name: shop, namespace: shop, monthlyUSD: 1000}
            """, file: "b.yaml"))
        #expect(file.budgets[0].clusters == ["production", "production-eu"] && file.budgets[1].clusters.isEmpty)
        #expect(file.budgets[0].covers(cluster: "production-eu", namespace: "shop", labels: [:]))
        #expect(!file.budgets[0].covers(cluster: "staging", namespace: "shop", labels: [:]))
        #expect(file.budgets[1].covers(cluster: "staging", namespace: "shop", labels: [:]))
    }

    @Test("bad budget files fail at their line", arguments: [
        ("currency: EUR\nbudgets: []\n", 1, "currency \"EUR\""),
        ("budgets:\n  - name: a\n    namespace: x\n    monthlyUSD: -5\n", 4, "negative"),
        ("budgets:\n  - name: a\n    monthlyUSD: 5\n", 2, "needs namespace, namespaces or labels"),
        ("budgets:\n  - name: a\n    namespace: x\n    monthlyUSD: lots\n", 4, "not a positive USD amount"),
        ("budgets:\n  - name: a\n    labels: [team]\n    monthlyUSD: 5\n", 3, "labels must be a mapping"),
        ("budgets:\n  - name: a\n    namespace: x\n    monthlyUSD: 5\n  - name: a\n    namespace: y\n    monthlyUSD: 5\n", 5, "defined twice"),
        ("thresholds: [90, 80]\nbudgets: []\n", 1, "ascending"),
        ("budgets:\n  - name: a\n    namespace: x\n    clusters: []\n    monthlyUSD: 5\n", 4, "clusters is empty"),
        ("budgets:\n  - name: a\n    namespace: x\n    clusters: [p, p]\n    monthlyUSD: 5\n", 4, "\"p\" is empty or repeated"),
        ("budgets:\n  - name: a\n    namespace: [x\n", 4, "malformed YAML"),
    ])
    func errors(text: String, line: Int, fragment: String) {
        do {
            _ = try BudgetFile.parse(LocatedYAML.parse(text, file: "b.yaml"))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line && error.description.contains(fragment), "\(error)")
        }
    }
}
