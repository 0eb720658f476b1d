import HeadroomCore
import HeadroomCost
import HeadroomEngine
import HeadroomHistory

extension WeeklyReport {
    /// How much a report shows.
    public struct Options: Sendable {
        /// Lines per breakdown before "other", namespaces in the daily chart, movers, workloads in
        /// the requests-against-usage chart.
        public var top: Int
        /// Items of the reclamation plan.
        public var savings: Int
        /// Label keys to break down by; empty: every key the containers carry.
        public var labelKeys: [String]
        public var costReport: CostReport.Options

        public init(top: Int = 8, savings: Int = 5, labelKeys: [String] = [], costReport: CostReport.Options = .init()) {
            self.top = top
            self.savings = savings
            self.labelKeys = labelKeys
            self.costReport = costReport
        }
    }

    /// The report of `week` from the allocation of it and the week before (`costs`, whose days
    /// are those two weeks' local days) and the assessment (savings, budgets).
    /// `recordedAdvice`: what the previous week's report recorded (nil: nothing was).
    public static func build(week: ReportWeek, costs: PeriodCosts, assessment: Assessment, generatedAt: Int64, options: Options = .init(),
                             recordedAdvice: [RecordedAdvice]? = nil) -> WeeklyReport {
        let days = costs.result.allocation.days
        let thisWeek = days.indices.filter { days[$0] >= week.start && days[$0] < week.end }
        let lastWeek = days.indices.filter { days[$0] >= week.previous.start && days[$0] < week.start }
        let thisRange = (thisWeek.first ?? 0)..<((thisWeek.last ?? -1) + 1)
        let lastRange = (lastWeek.first ?? 0)..<((lastWeek.last ?? -1) + 1)
        let containers = costs.result.containers.indices
        let after = containers.map { costs.container($0, days: thisRange) }
        let before = containers.map { costs.container($0, days: lastRange) }

        func rows(_ period: [PeriodContainerCost], day: Int64) -> [StoredContainerCost] {
            zip(period, costs.result.containerPools).compactMap { cost, pool in
                cost.totalMicrodollars == 0 ? nil : StoredContainerCost(day: day, container: cost.container, pool: pool, cpuMicrodollars: cost.cpuMicrodollars,
                                                                       ramMicrodollars: cost.ramMicrodollars, pvMicrodollars: cost.pvMicrodollars)
            }
        }
        let rowsAfter = rows(after, day: week.start), rowsBefore = rows(before, day: week.previous.start)
        func breakdown(_ by: CostGrouping) -> Breakdown {
            var grouped = options.costReport
            grouped.by = by
            func report(_ rows: [StoredContainerCost]) -> CostReport {
                CostReport.build(from: 0, to: 0, containers: rows, pools: [], volumes: [], labels: costs.labels, options: grouped)
            }
            let now = report(rowsAfter).lines, then = report(rowsBefore).lines
            let previous = Dictionary(then.map { ($0.name, $0.totalMicrodollars) }, uniquingKeysWith: +)
            var lines = now.map { Line(name: $0.name, microdollars: $0.totalMicrodollars, previousMicrodollars: previous[$0.name] ?? 0) }
            let current = Set(lines.map(\.name))
            lines += then.filter { !current.contains($0.name) }.map { Line(name: $0.name, microdollars: 0, previousMicrodollars: $0.totalMicrodollars) }
            lines.sort { ($0.microdollars, $0.previousMicrodollars, $1.name) > ($1.microdollars, $1.previousMicrodollars, $0.name) }
            return Breakdown(by: by.name, lines: topAndOther(lines, top: options.top),
                             totalMicrodollars: lines.reduce(0) { $0 + $1.microdollars }, previousTotalMicrodollars: lines.reduce(0) { $0 + $1.previousMicrodollars })
        }

        // Idle and unattached volumes per day.
        var idle = [Int64](repeating: 0, count: days.count), nodeCost = [Int64](repeating: 0, count: days.count)
        var poolWaste: [PoolWaste] = []
        for (index, pool) in costs.result.pools.enumerated() {
            var node: Int64 = 0, idleSum: Int64 = 0
            for day in days.indices {
                let cost = costs.result.allocation.pools[index][day]
                idle[day] += cost.idle
                nodeCost[day] += cost.nodeCost
                if thisRange.contains(day) {
                    node += cost.nodeCost
                    idleSum += cost.idle
                }
            }
            poolWaste.append(PoolWaste(pool: pool, nodeMicrodollars: node, idleMicrodollars: idleSum, idleShare: node > 0 ? Double(idleSum) / Double(node) : 0))
        }
        var unattached = [Int64](repeating: 0, count: days.count)
        var volumes: [CostReport.Volume] = []
        for (volume, perDay) in costs.result.unattachedVolumes {
            for day in days.indices { unattached[day] += perDay[day] }
            let sum = thisRange.reduce(Int64(0)) { $0 + perDay[$1] }
            if sum > 0 { volumes.append(CostReport.Volume(volume: volume.name, microdollars: sum)) }
        }
        volumes.sort { ($0.microdollars, $1.volume) > ($1.microdollars, $0.volume) }

        // The daily chart: the week's top namespaces by own cost, every day in the same order.
        var ownByNamespace: [String: Int64] = [:]
        for cost in after { ownByNamespace[cost.container.workload.namespace, default: 0] += cost.totalMicrodollars }
        let topNamespaces = ownByNamespace.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(options.top).map(\.key)
        let daily = thisRange.map { day -> Day in
            var amounts: [String: Int64] = [:]
            for index in containers {
                let namespace = costs.result.containers[index].workload.namespace
                let name = topNamespaces.contains(namespace) ? namespace : otherName
                amounts[name, default: 0] += costs.result.allocation.containers[index][day].total
            }
            var namespaces = topNamespaces.map { Day.Amount(name: $0, microdollars: amounts[$0] ?? 0) }
            if let other = amounts[otherName], other != 0 { namespaces.append(.init(name: otherName, microdollars: other)) }
            let own = namespaces.reduce(0) { $0 + $1.microdollars }
            return Day(date: week.dateLabel(days[day]), start: days[day], namespaces: namespaces, idleMicrodollars: idle[day],
                       unattachedMicrodollars: unattached[day], totalMicrodollars: own + idle[day] + unattached[day])
        }

        let workloadsNow = after.reduce(0) { $0 + $1.totalMicrodollars }, workloadsThen = before.reduce(0) { $0 + $1.totalMicrodollars }
        let idleNow = thisRange.reduce(0) { $0 + idle[$1] }, idleThen = lastRange.reduce(0) { $0 + idle[$1] }
        let unattachedNow = thisRange.reduce(0) { $0 + unattached[$1] }, unattachedThen = lastRange.reduce(0) { $0 + unattached[$1] }
        let total = workloadsNow + idleNow + unattachedNow, previous = workloadsThen + idleThen + unattachedThen
        let spend = Spend(totalMicrodollars: total, previousMicrodollars: previous, changeMicrodollars: total - previous,
                          changePercent: previous > 0 ? Double(total - previous) / Double(previous) * 100 : nil,
                          workloadsMicrodollars: workloadsNow, idleMicrodollars: idleNow, unattachedMicrodollars: unattachedNow)

        let keys = options.labelKeys.isEmpty ? Set(costs.labels.values.flatMap(\.keys)).sorted() : options.labelKeys
        let weekHours = Double(week.end - week.start) / 3600
        let usageEnd = costs.usageEnd ?? week.start
        let hoursWithUsage = max(0, Int((min(usageEnd, week.end) - week.start) / 3600))

        // Requests against usage of the week's most expensive workloads.
        var perWorkload: [WorkloadID: (cost: Int64, drivers: CostDrivers)] = [:]
        for cost in after {
            let workload = cost.container.workload
            let old = perWorkload[workload] ?? (0, CostDrivers())
            perWorkload[workload] = (old.cost + cost.totalMicrodollars, old.drivers + cost.drivers)
        }
        let gib = Double(1 << 30)
        let requestsAndUsage = perWorkload.filter { $0.value.cost > 0 }
            .sorted { ($0.value.cost, "\($1.key)") > ($1.value.cost, "\($0.key)") }.prefix(options.top)
            .map { workload, value in
                RequestsAndUsage(workload: "\(workload.namespace)/\(workload.name)", microdollars: value.cost,
                                 cpuRequestCores: value.drivers.cpuRequestMillicoreHours / 1000 / weekHours,
                                 cpuUsageCores: value.drivers.cpuUsageMillicoreHours / 1000 / weekHours,
                                 memoryRequestGiB: value.drivers.memoryRequestByteHours / gib / weekHours,
                                 memoryUsageGiB: value.drivers.memoryUsageByteHours / gib / weekHours)
            }

        let efficiency = NamespaceEfficiency.of(after.filter { $0.drivers.ran }.map { cost in
            NamespaceEfficiency.Part(namespace: cost.container.workload.namespace, cpuMicrodollars: cost.cpuMicrodollars, ramMicrodollars: cost.ramMicrodollars,
                                     cpuUsageOverRequest: ratio(cost.drivers.cpuUsageMillicoreHours, cost.drivers.cpuRequestMillicoreHours),
                                     memoryUsageOverRequest: ratio(cost.drivers.memoryUsageByteHours, cost.drivers.memoryRequestByteHours))
        })

        let savings = assessment.reclamation.items.sorted { ($0.monthlySavingMicrodollars, $1.target) > ($1.monthlySavingMicrodollars, $0.target) }
            .prefix(options.savings).map {
                Saving(kind: $0.kind.rawValue, target: $0.target, monthlySavingMicrodollars: $0.monthlySavingMicrodollars, risk: $0.risk,
                       evidence: $0.evidence, command: $0.command, patch: $0.patch)
            }
        let budgets = (assessment.budgets?.budgets ?? []).map {
            BudgetLine(budget: $0.budget, monthlyMicrodollars: $0.monthlyMicrodollars, monthToDateMicrodollars: $0.projection.monthToDate,
                       p10Microdollars: $0.projection.p10, p50Microdollars: $0.projection.p50, p90Microdollars: $0.projection.p90, status: $0.status.rawValue)
        }

        var weekChange: [String: Int64] = [:]
        for (old, new) in zip(before, after) { weekChange[new.container.description] = new.totalMicrodollars - old.totalMicrodollars }
        let current = Dictionary(assessment.containers.map { ($0.container.description, (cpu: $0.current.requests.cpu?.millicores, memory: $0.current.requests.memory?.bytes)) },
                                 uniquingKeysWith: { $1 })
        let followThrough = AdviceFollowThrough.of(previousWeek: week.previous.description, recorded: recordedAdvice, current: current, weekChange: weekChange)

        return WeeklyReport(
            metadata: Metadata(cluster: assessment.metadata.cluster, week: week.description, previousWeek: week.previous.description,
                               timeZone: week.timeZoneName, from: week.start, to: week.end,
                               firstDate: week.dateLabel(week.start), lastDate: week.dateLabel(week.end - 1), generatedAt: generatedAt,
                               hoursWithUsage: hoursWithUsage, hours: Int(weekHours), sharedNamespaces: options.costReport.sharedNamespaces.sorted(),
                               distribution: options.costReport.distribution.rawValue),
            spend: spend, daily: daily, namespaces: breakdown(.namespace), workloads: breakdown(.workload),
            labels: keys.map { breakdown(.label($0)) },
            causes: Array(CostCauses.of(before: before, after: after) { $0.workload.namespace }.filter { $0.changeMicrodollars != 0 }.prefix(options.top)),
            workloadCauses: Array(CostCauses.of(before: before, after: after) { "\($0.workload.namespace)/\($0.workload.name)" }
                .filter { $0.changeMicrodollars != 0 }.prefix(options.top)),
            efficiency: efficiency, requestsAndUsage: Array(requestsAndUsage), waste: poolWaste, unattachedVolumes: volumes,
            savings: Array(savings), reclaimableMonthlyMicrodollars: assessment.reclamation.monthlySaving,
            budgetMonth: assessment.budgets?.month, budgets: budgets,
            recommendations: assessment.containers.map {
                Recommendation(container: $0.container.description, replicas: $0.replicas,
                               cpuRequestMillicores: $0.current.requests.cpu?.millicores, recommendedCPURequestMillicores: $0.recommended.requests.cpu?.millicores,
                               memoryRequestBytes: $0.current.requests.memory?.bytes, recommendedMemoryRequestBytes: $0.recommended.requests.memory?.bytes,
                               memoryLimitBytes: $0.current.limits.memory?.bytes, recommendedMemoryLimitBytes: $0.recommended.limits.memory?.bytes,
                               monthlyMicrodollars: $0.current.monthlyMicrodollars, recommendedMonthlyMicrodollars: $0.recommended.monthlyMicrodollars)
            },
            followThrough: followThrough)
    }

    /// The name of the line that gathers everything past the top ones.
    public static let otherName = "(other)"

    static func topAndOther(_ lines: [Line], top: Int) -> [Line] {
        guard lines.count > top + 1 else { return lines }
        let rest = lines.dropFirst(top)
        return Array(lines.prefix(top)) + [Line(name: otherName, microdollars: rest.reduce(0) { $0 + $1.microdollars },
                                                previousMicrodollars: rest.reduce(0) { $0 + $1.previousMicrodollars }, members: rest.count)]
    }

    static func ratio(_ usage: Double, _ request: Double) -> Double? {
        request > 0 ? usage / request : nil
    }
}
