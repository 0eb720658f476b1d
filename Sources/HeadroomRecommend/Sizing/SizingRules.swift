import HeadroomCore

/// The rules every sizing strategy ends with, whatever its figures: bounds on extrapolation (a
/// request above `maximumObservedMultiple` × the highest usage seen, or above the largest node
/// the container could run on, is capped and says why), the HPA and OOM rules, rounding, the
/// overrides' caps, limits by policy and the idle flag.
enum SizingRules {
    struct Outcome {
        var requests: ResourceAmounts
        var limits: ResourceAmounts
        var oomFloor: Double?
    }

    /// - Parameters: `cpuMillicores` and `memoryBytes` are the strategy's per-pod figures
    ///   (memory already at least the observed peak where the strategy wants that).
    static func apply(cpuMillicores: Double, memoryBytes: Double, input: SizingInput, policy: SizingPolicy,
                      notes: inout [String]) -> Outcome {
        var cpuFigure = cpuMillicores
        var memoryFigure = memoryBytes
        let multiple = policy.maximumObservedMultiple
        if let seen = input.cpu.max(), seen > 0, cpuFigure > multiple * seen {
            notes.append("CPU held at \(format(multiple))× the highest usage seen (\(CPUQuantity(millicores: Int64(seen.rounded(.up))))): the figure of \(CPUQuantity(millicores: Int64(cpuFigure.rounded(.up)))) extrapolates further than the history supports")
            cpuFigure = multiple * seen
        }
        if let seen = input.memoryPeaks.max(), seen > 0, memoryFigure > multiple * seen {
            notes.append("memory held at \(format(multiple))× the highest working set seen (\(MemoryQuantity(bytes: Int64(seen)).roundedUp(toMultipleOf: .mebibyte))): the figure extrapolates further than the history supports")
            memoryFigure = multiple * seen
        }

        var cpu = CPUQuantity(millicores: Int64(cpuFigure.rounded(.up)))
        cpu = max(policy.minimumCPU, cpu.roundedUp(toMultipleOf: policy.cpuGranularity))
        if let hpa = input.current?.hpa, hpa.targetCPUUtilizationPercent != nil, let current = input.current?.requests.cpu {
            cpu = current
            notes.append("HPA scales on CPU (\(hpa.minReplicas)–\(hpa.maxReplicas) replicas): CPU request left at \(current) so the HPA target keeps its meaning")
        }

        var oomFloor: Double?
        if let worst = input.oomKillBytes.max() {
            let floor = max(worst * policy.oomBumpRatio, worst + Double(policy.oomMinimumBump))
            oomFloor = floor
            memoryFigure = max(memoryFigure, floor)
            notes.append("OOM-killed \(input.oomKillBytes.count)× at up to \(MemoryQuantity(bytes: Int64(worst)).roundedUp(toMultipleOf: .mebibyte)): memory at least \(MemoryQuantity(bytes: Int64(floor.rounded(.up))).roundedUp(toMultipleOf: .mebibyte)); check for a leak")
        }
        var memory = max(policy.minimumMemory, MemoryQuantity(bytes: Int64(memoryFigure.rounded(.up))).roundedUp(toMultipleOf: policy.memoryGranularity))
        if let cap = policy.maximumMemory, memory > cap {
            notes.append("memory capped at max-memory \(cap) below the \(memory) history needs: expect OOM kills")
            memory = cap
        }
        if let cap = policy.maximumCPU, cpu > cap {
            notes.append("CPU capped at max-cpu \(cap) below the forecast's \(cpu)")
            cpu = cap
        }
        if let node = policy.largestNode {
            if let cap = node.allocatable.cpu, cpu > cap {
                notes.append("CPU capped at \(cap), the allocatable CPU of the largest node it could run on (\(node.source)), below the \(cpu) the figures ask for")
                cpu = cap
            }
            if let cap = node.allocatable.memory, memory > cap {
                notes.append("memory capped at \(cap.roundedUp(toMultipleOf: .mebibyte)), the allocatable memory of the largest node it could run on (\(node.source)), below the \(memory) the figures ask for: expect OOM kills")
                memory = cap
            }
        }

        let cpuLimit: CPUQuantity? = switch policy.cpuLimit {
        case .none: nil
        case .ratio(let ratio): cpu.scaled(by: ratio).roundedUp(toMultipleOf: policy.cpuGranularity)
        }
        let memoryLimit: MemoryQuantity = switch policy.memoryLimit {
        case .equalToRequest: memory
        case .factor(let factor): memory.scaled(by: factor).roundedUp(toMultipleOf: policy.memoryGranularity)
        }
        if (input.recentActivity ?? CPUActivity(means: input.cpu.suffix(2016).map { $0 })).isIdle {
            notes.append("idle: CPU P95 under \(Int(UsageProfile.idleBelowMillicores))m for the last week; a candidate for scaling to zero or removal")
        }
        return Outcome(requests: ResourceAmounts(cpu: cpu, memory: memory), limits: ResourceAmounts(cpu: cpuLimit, memory: memoryLimit),
                       oomFloor: oomFloor)
    }

    private static func format(_ multiple: Double) -> String {
        multiple == multiple.rounded() ? String(Int(multiple)) : String(multiple)
    }
}
