import Foundation

/// The Cluster Autoscaler's expanders (`expander/*`): filters over scale-up options that keep
/// the best ones, ties included, in input order.
public enum Expanders {
    /// least-waste: `(capacity·nodes − Σ pod requests)/(capacity·nodes)` for CPU plus the same
    /// for memory; lowest wins.
    public static func leastWaste(_ options: [(name: String, nodeCPU: Int64, nodeMemory: Int64, nodeCount: Int, podCPU: Int64, podMemory: Int64)]) -> [String] {
        let scored = options.map { option -> (String, Double) in
            let cpuTotal = Double(option.nodeCPU) * Double(option.nodeCount)
            let memoryTotal = Double(option.nodeMemory) * Double(option.nodeCount)
            let wasteCPU = cpuTotal > 0 ? (cpuTotal - Double(option.podCPU)) / cpuTotal : 0
            let wasteMemory = memoryTotal > 0 ? (memoryTotal - Double(option.podMemory)) / memoryTotal : 0
            return (option.name, wasteCPU + wasteMemory)
        }
        return lowest(scored)
    }

    /// most-pods: the options scheduling the most pending pods.
    public static func mostPods(_ options: [(name: String, podCount: Int)]) -> [String] {
        guard let best = options.map(\.podCount).max() else { return [] }
        return options.filter { $0.podCount == best }.map(\.name)
    }

    /// least-nodes: the options needing the fewest nodes; options with no nodes are dropped.
    public static func leastNodes(_ options: [(name: String, nodeCount: Int)]) -> [String] {
        let valid = options.filter { $0.nodeCount > 0 }
        guard let best = valid.map(\.nodeCount).min() else { return [] }
        return valid.filter { $0.nodeCount == best }.map(\.name)
    }

    /// priority: options whose name matches a pattern of the highest matching priority; all
    /// options when nothing matches or there is no configuration.
    public static func priority(_ options: [String], priorities: [Int: [String]]) -> [String] {
        var best: (priority: Int, names: [String])?
        for name in options {
            let range = NSRange(name.startIndex..., in: name)
            let matching = priorities.filter { _, patterns in
                patterns.contains { pattern in
                    (try? NSRegularExpression(pattern: pattern))?.firstMatch(in: name, range: range) != nil
                }
            }.keys
            guard let priority = matching.max() else { continue }
            if best == nil || priority > best!.priority { best = (priority, [name]) } else if priority == best!.priority { best!.names.append(name) }
        }
        return best?.names ?? options
    }

    /// The price expander's preferred node size for a cluster of `nodes` nodes: (cores, MiB).
    public static func preferredNode(clusterNodeCount nodes: Int) -> (cores: Int, memoryMiB: Int) {
        switch nodes {
        case ...2: (1, 3750)
        case ...6: (2, 7500)
        case ...20: (4, 15000)
        case ...60: (8, 30000)
        case ...200: (16, 60000)
        default: (32, 120000)
        }
    }

    /// Unfitness of a node size against the preferred one: max(preferred/node, node/preferred).
    public static func unfitness(preferredCPU: Int64, nodeCPU: Int64) -> Double {
        let preferred = Double(preferredCPU), actual = Double(nodeCPU)
        return max(preferred / actual, actual / preferred)
    }

    /// price: `suppressed(unfitness, nodes) × (nodePrice·nodes + stabilization)/(Σ podPrice +
    /// stabilization)`, ×2 for node groups that do not exist yet; lowest wins.
    public static func price(_ options: [(name: String, nodeCPU: Int64, nodePrice: Double, nodeCount: Int, podsPrice: Double, exists: Bool)],
                             preferredCPU: Int64, stabilizationPrice: Double) -> [String] {
        let scored = options.map { option -> (String, Double) in
            let unfit = unfitness(preferredCPU: preferredCPU, nodeCPU: option.nodeCPU)
            let suppressed = (unfit - 1) * (1 - tanh(Double(option.nodeCount - 1) / 15)) + 1
            var score = suppressed * (option.nodePrice * Double(option.nodeCount) + stabilizationPrice) / (option.podsPrice + stabilizationPrice)
            if !option.exists { score *= 2 }
            return (option.name, score)
        }
        return lowest(scored)
    }

    private static func lowest(_ scored: [(String, Double)]) -> [String] {
        guard let best = scored.map(\.1).min() else { return [] }
        return scored.filter { abs($0.1 - best) <= 1e-12 * max(1, abs(best)) }.map(\.0)
    }
}
