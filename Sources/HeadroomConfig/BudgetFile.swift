import HeadroomCost

/// The budget file (example: models/budgets/terrafusion.example.yaml), read into HeadroomCost
/// budgets with every bad value reported at its line.
public struct BudgetFile: Sendable {
    public var budgets: [Budget]

    public init(budgets: [Budget]) { self.budgets = budgets }

    public static func load(_ path: String) throws(ConfigError) -> BudgetFile { try parse(LocatedYAML.load(path)) }

    public static func parse(_ document: LocatedYAML) throws(ConfigError) -> BudgetFile {
        var thresholds = [80, 100]
        var budgets: [Budget] = []
        let entries = try document.mapping(allowed: ["currency", "thresholds", "budgets"], what: "the budget file")
        for (key, value) in entries {
            switch key {
            case "currency":
                let currency = try value.string(what: "currency")
                guard currency == "USD" else { throw value.fail("currency \"\(currency)\" is not supported: budgets are in USD") }
            case "thresholds": thresholds = try percentages(value, what: "thresholds")
            default: break
            }
        }
        guard let list = document.optional("budgets") else { throw document.fail("the budget file needs \"budgets\"") }
        var names: Set<String> = []
        for (index, entry) in try list.sequence(what: "budgets").enumerated() {
            let what = "budgets[\(index)]"
            let fields = try entry.mapping(allowed: ["name", "namespace", "namespaces", "labels", "clusters", "monthlyUSD", "thresholds"], what: what)
            var labels: [String: String] = [:]
            if let selector = fields.first(where: { $0.key == "labels" })?.value {
                for (key, value) in try selector.mapping(what: "\(what).labels") { labels[key] = try value.string(what: "\(what).labels.\(key)") }
            }
            let name = try entry.required("name", in: what).string(what: "\(what).name")
            guard names.insert(name).inserted else { throw entry.fail("budget \"\(name)\" is defined twice") }
            var namespaces: [String] = []
            if let one = entry.optional("namespace") { namespaces.append(try one.string(what: "\(what).namespace")) }
            if let many = entry.optional("namespaces") {
                for item in try many.sequence(what: "\(what).namespaces") { namespaces.append(try item.string(what: "\(what).namespaces[]")) }
            }
            guard !namespaces.isEmpty || !labels.isEmpty else { throw entry.fail("\(what) needs namespace, namespaces or labels") }
            var clusters: [String] = []
            if let many = entry.optional("clusters") {
                for item in try many.sequence(what: "\(what).clusters") {
                    let cluster = try item.string(what: "\(what).clusters[]")
                    guard !cluster.isEmpty, !clusters.contains(cluster) else { throw item.fail("\(what).clusters: \"\(cluster)\" is empty or repeated") }
                    clusters.append(cluster)
                }
                guard !clusters.isEmpty else { throw many.fail("\(what).clusters is empty: leave it out to cover every cluster checked") }
            }
            let amountNode = try entry.required("monthlyUSD", in: what)
            let text = try amountNode.string(what: "\(what).monthlyUSD")
            guard !text.hasPrefix("-") else { throw amountNode.fail("\(what).monthlyUSD \(text) is negative") }
            guard let amount = Money.microdollars(text), amount > 0 else { throw amountNode.fail("\(what).monthlyUSD \"\(text)\" is not a positive USD amount") }
            budgets.append(Budget(name: name, namespaces: namespaces, labels: labels, clusters: clusters, monthly: amount,
                                  thresholds: try entry.optional("thresholds").map { node throws(ConfigError) in try percentages(node, what: "\(what).thresholds") } ?? thresholds,
                                  line: entry.line))
        }
        guard !budgets.isEmpty else { throw list.fail("no budgets") }
        return BudgetFile(budgets: budgets)
    }

    static func percentages(_ node: LocatedYAML, what: String) throws(ConfigError) -> [Int] {
        var values: [Int] = []
        for item in try node.sequence(what: what) { values.append(try item.integer(what: "\(what)[]", in: 1...1000)) }
        guard values == values.sorted(), Set(values).count == values.count else { throw node.fail("\(what) must be distinct and ascending") }
        return values
    }
}
