import HeadroomCore

/// A budget's namespaces' ResourceQuotas against the budget: what the quota lets them spend at
/// the rates they are charged, how far it sits above what they use, and the quota their
/// recommended requests need.
public struct QuotaFinding: Sendable, Hashable, Codable {
    public var budget: String
    public var namespaces: [String]
    /// Sum of the namespaces' `requests.cpu` / `requests.memory` hard limits (nil: no such quota).
    public var hard: ResourceAmounts
    public var quotaMonthlyMax: Microdollars?
    public var requestedNow: ResourceAmounts
    public var recommendedRequests: ResourceAmounts
    public var recommendedQuota: ResourceAmounts
    public var recommendedQuotaMonthly: Microdollars
    public var flags: [String]

    /// The requests the quotas let the namespaces make. Kubernetes enforces every ResourceQuota
    /// object on its own, so a namespace's cap on a resource is the smallest `hard` among its
    /// objects (and among the lines of one object, where `cpu` and `requests.cpu` name the same
    /// thing, likewise `memory` and `requests.memory`); the namespaces' caps add up. A resource
    /// that some namespace of `namespaces` (default: those the quotas name) does not cap is
    /// uncapped (nil) for all of them together. Quotas tagged with their cluster (a budget over
    /// several) cap each cluster's namespace apart; with `clusters`, each of them must cap each
    /// namespace.
    public static func hardRequests(_ quotas: [ResourceQuotaRecord], namespaces: [String]? = nil, clusters: [String]? = nil) -> ResourceAmounts {
        struct Place: Hashable { var cluster: String?, namespace: String }
        var cpu: [Place: Int64] = [:], memory: [Place: Int64] = [:]
        for quota in quotas {
            let place = Place(cluster: quota.cluster, namespace: quota.namespace)
            switch quota.resource {
            case "requests.cpu", "cpu":
                if let value = try? CPUQuantity(parsing: quota.hard) { cpu[place] = min(cpu[place] ?? .max, value.millicores) }
            case "requests.memory", "memory":
                if let value = try? MemoryQuantity(parsing: quota.hard) { memory[place] = min(memory[place] ?? .max, value.bytes) }
            default: continue
            }
        }
        let places: [String?] = clusters ?? Array(Set(quotas.map(\.cluster)))
        let scope = Set((namespaces ?? quotas.map(\.namespace)).flatMap { namespace in places.map { Place(cluster: $0, namespace: namespace) } })
        func total(_ caps: [Place: Int64]) -> Int64? {
            guard !scope.isEmpty, scope.allSatisfy({ caps[$0] != nil }) else { return nil }
            return scope.reduce(0) { $0 + caps[$1]! }
        }
        return ResourceAmounts(cpu: total(cpu).map(CPUQuantity.init(millicores:)), memory: total(memory).map(MemoryQuantity.init(bytes:)))
    }

    /// Quota lines for CPU or memory whose `hard` is not a quantity: named, since they cap nothing.
    public static func unreadable(_ quotas: [ResourceQuotaRecord]) -> [String] {
        quotas.compactMap { quota in
            let parses: Bool
            switch quota.resource {
            case "requests.cpu", "cpu": parses = (try? CPUQuantity(parsing: quota.hard)) != nil
            case "requests.memory", "memory": parses = (try? MemoryQuantity(parsing: quota.hard)) != nil
            default: return nil
            }
            return parses ? nil : "unreadable quota: \(quota.namespace)/\(quota.name) \(quota.resource) hard \"\(quota.hard)\" is not a quantity, so it caps nothing here"
        }
    }

    /// - Parameters:
    ///   - headroom: the recommended quota is the recommended requests × this, rounded up to 500m and 1Gi.
    ///   - farAbove: a quota is "far above use" when requests now are under this share of it.
    public static func reconcile(budget: Budget, quotas: [ResourceQuotaRecord], clusters: [String]? = nil, rates: ResourceRates,
                                 requestedNow: ResourceAmounts, recommended: ResourceAmounts, headroom: Double = 1.25,
                                 farAbove: Double = 0.5) -> QuotaFinding {
        let hard = hardRequests(quotas, namespaces: budget.namespaces, clusters: clusters)
        var flags: [String] = unreadable(quotas)
        var quotaMax: Microdollars?
        /// Budget namespaces no quota line of these resources caps.
        func uncapped(_ resources: Set<String>) -> String {
            let missing = budget.namespaces.filter { namespace in !quotas.contains { $0.namespace == namespace && resources.contains($0.resource) } }
            return budget.namespaces.count > 1 && !missing.isEmpty ? " in \(missing.joined(separator: ", "))" : ""
        }
        if hard.cpu == nil && hard.memory == nil {
            flags.append(quotas.isEmpty ? "no quota: nothing caps the requests of \(budget.namespaces.joined(separator: ", "))"
                         : "no quota caps every namespace: CPU uncapped\(uncapped(["cpu", "requests.cpu"])), memory uncapped\(uncapped(["memory", "requests.memory"]))")
        } else {
            if hard.cpu == nil { flags.append("no CPU quota\(uncapped(["cpu", "requests.cpu"])): CPU requests are uncapped") }
            if hard.memory == nil { flags.append("no memory quota\(uncapped(["memory", "requests.memory"])): memory requests are uncapped") }
            let max = rates.monthly(hard)
            quotaMax = max
            if max > budget.monthly {
                flags.append("quota allows overspending: at the rates charged it permits \(Money.dollars(max)) a month, \(Money.dollars(max - budget.monthly)) over the \(Money.dollars(budget.monthly)) budget")
            }
            if let cpu = hard.cpu, cpu.millicores > 0, Double(requestedNow.cpu?.millicores ?? 0) < farAbove * Double(cpu.millicores) {
                flags.append("CPU quota far above use: \(requestedNow.cpu?.canonical ?? "0") requested of \(cpu.canonical)")
            }
            if let memory = hard.memory, memory.bytes > 0, Double(requestedNow.memory?.bytes ?? 0) < farAbove * Double(memory.bytes) {
                flags.append("memory quota far above use: \(requestedNow.memory?.roundedUp(toMultipleOf: .mebibyte).canonical ?? "0") requested of \(memory.canonical)")
            }
        }
        var quota = ResourceAmounts(
            cpu: CPUQuantity(millicores: Int64((Double(recommended.cpu?.millicores ?? 0) * headroom).rounded(.up))).roundedUp(toMultipleOf: CPUQuantity(millicores: 500)),
            memory: MemoryQuantity(bytes: Int64((Double(recommended.memory?.bytes ?? 0) * headroom).rounded(.up))).roundedUp(toMultipleOf: .gibibyte))
        var monthly = rates.monthly(quota)
        if monthly > budget.monthly {
            let needed = rates.monthly(recommended)
            flags.append(needed > budget.monthly
                         ? "recommended requests alone cost \(Money.dollars(needed)) a month, over the budget: raise the budget or cut workloads"
                         : "quota trimmed to the budget: the 25 % headroom above the recommended requests does not fit")
            let scale = Double(budget.monthly) / Double(monthly)
            quota = ResourceAmounts(cpu: CPUQuantity(millicores: Int64(Double(quota.cpu!.millicores) * scale)).roundedDown(toMultipleOf: 100),
                                    memory: MemoryQuantity(bytes: Int64(Double(quota.memory!.bytes) * scale)).roundedDown(toMultipleOf: 1 << 27))
            monthly = rates.monthly(quota)
        }
        if let cpu = hard.cpu, let recommendedCPU = recommended.cpu, recommendedCPU > cpu {
            flags.append("CPU quota \(cpu.canonical) is below the recommended requests \(recommendedCPU.canonical)")
        }
        return QuotaFinding(budget: budget.name, namespaces: budget.namespaces, hard: hard, quotaMonthlyMax: quotaMax, requestedNow: requestedNow,
                            recommendedRequests: recommended, recommendedQuota: quota, recommendedQuotaMonthly: monthly, flags: flags)
    }
}

extension ResourceQuantity {
    /// Rounds down to a multiple of `unit` base units.
    func roundedDown(toMultipleOf unit: Int64) -> Self { Self(amount: amount / unit * unit) }
}
