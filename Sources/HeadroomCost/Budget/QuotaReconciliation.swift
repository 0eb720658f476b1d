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

    /// Quota lines for CPU and memory requests (`requests.cpu` or plain `cpu`, likewise memory).
    public static func hardRequests(_ quotas: [ResourceQuotaRecord]) -> ResourceAmounts {
        var cpu: Int64?, memory: Int64?
        for quota in quotas {
            switch quota.resource {
            case "requests.cpu", "cpu":
                if let value = try? CPUQuantity(parsing: quota.hard) { cpu = (cpu ?? 0) + value.millicores }
            case "requests.memory", "memory":
                if let value = try? MemoryQuantity(parsing: quota.hard) { memory = (memory ?? 0) + value.bytes }
            default: continue
            }
        }
        return ResourceAmounts(cpu: cpu.map(CPUQuantity.init(millicores:)), memory: memory.map(MemoryQuantity.init(bytes:)))
    }

    /// - Parameters:
    ///   - headroom: the recommended quota is the recommended requests × this, rounded up to 500m and 1Gi.
    ///   - farAbove: a quota is "far above use" when requests now are under this share of it.
    public static func reconcile(budget: Budget, quotas: [ResourceQuotaRecord], rates: ResourceRates, requestedNow: ResourceAmounts,
                                 recommended: ResourceAmounts, headroom: Double = 1.25, farAbove: Double = 0.5) -> QuotaFinding {
        let hard = hardRequests(quotas)
        var flags: [String] = []
        var quotaMax: Microdollars?
        if hard.cpu == nil && hard.memory == nil {
            flags.append("no quota: nothing caps the requests of \(budget.namespaces.joined(separator: ", "))")
        } else {
            if hard.cpu == nil { flags.append("no CPU quota: CPU requests are uncapped") }
            if hard.memory == nil { flags.append("no memory quota: memory requests are uncapped") }
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
