import HeadroomCore
import HeadroomCost
import Testing

/// Week-over-week cost changes split into requests, replicas, usage above requests, added or
/// removed workloads and prices: each cause alone lands in its own part, and the parts always
/// add up to the change to the micro-dollar.
@Suite struct CostCausesTests {
    static func id(_ workload: String, namespace: String = "shop") -> ContainerID {
        ContainerID(namespace: namespace, kind: .deployment, workload: workload, container: "main")
    }

    /// CPU only: `cost` µ$ for `charged` millicore-hours of which `requested` requested, over `pods` pod-hours.
    static func cpu(_ container: ContainerID, cost: Int64, charged: Double, requested: Double, pods: Double) -> PeriodContainerCost {
        PeriodContainerCost(container: container, cpuMicrodollars: cost, ramMicrodollars: 0, pvMicrodollars: 0,
                            drivers: CostDrivers(podHours: pods, cpuRequestMillicoreHours: requested, cpuUsageMillicoreHours: charged - requested,
                                                 cpuChargedMillicoreHours: charged, memoryRequestByteHours: 0, memoryUsageByteHours: 0, memoryChargedByteHours: 0))
    }

    static func causes(_ before: [PeriodContainerCost], _ after: [PeriodContainerCost]) -> CostCauses {
        let all = CostCauses.of(before: before, after: after) { $0.workload.namespace }
        #expect(all.count == 1)
        return all[0]
    }

    @Test("more replicas at the same request and price: all of the change is replicas")
    func replicasOnly() {
        // 10 → 15 pod-hours of 100 m at 1,000 µ$ per millicore-hour.
        let result = Self.causes([Self.cpu(Self.id("web"), cost: 1_000_000, charged: 1000, requested: 1000, pods: 10)],
                                 [Self.cpu(Self.id("web"), cost: 1_500_000, charged: 1500, requested: 1500, pods: 15)])
        #expect(result.changeMicrodollars == 500_000)
        #expect(result.replicasMicrodollars == 500_000)
        #expect(result.requestsMicrodollars == 0 && result.usageAboveRequestsMicrodollars == 0 && result.pricesMicrodollars == 0
                && result.addedRemovedMicrodollars == 0)
    }

    @Test("a doubled request on the same pods: all of the change is requests")
    func requestsOnly() {
        let result = Self.causes([Self.cpu(Self.id("web"), cost: 1_000_000, charged: 1000, requested: 1000, pods: 10)],
                                 [Self.cpu(Self.id("web"), cost: 2_000_000, charged: 2000, requested: 2000, pods: 10)])
        #expect(result.requestsMicrodollars == 1_000_000)
        #expect(result.sumOfCausesMicrodollars == result.changeMicrodollars)
        #expect(result.replicasMicrodollars == 0 && result.usageAboveRequestsMicrodollars == 0 && result.pricesMicrodollars == 0)
    }

    @Test("usage that rose above the requests: all of the change is usage above requests")
    func usageAboveRequests() {
        let result = Self.causes([Self.cpu(Self.id("web"), cost: 1_000_000, charged: 1000, requested: 1000, pods: 10)],
                                 [Self.cpu(Self.id("web"), cost: 1_400_000, charged: 1400, requested: 1000, pods: 10)])
        #expect(result.usageAboveRequestsMicrodollars == 400_000)
        #expect(result.requestsMicrodollars == 0 && result.replicasMicrodollars == 0 && result.pricesMicrodollars == 0)
    }

    @Test("the same amounts at a higher unit price: all of the change is prices")
    func pricesOnly() {
        let result = Self.causes([Self.cpu(Self.id("web"), cost: 1_000_000, charged: 1000, requested: 1000, pods: 10)],
                                 [Self.cpu(Self.id("web"), cost: 1_200_000, charged: 1000, requested: 1000, pods: 10)])
        #expect(result.pricesMicrodollars == 200_000)
        #expect(result.requestsMicrodollars == 0 && result.replicasMicrodollars == 0 && result.usageAboveRequestsMicrodollars == 0)
    }

    @Test("a workload that ran only this week, and one that ran only last week: added or removed")
    func addedAndRemoved() {
        let result = Self.causes([Self.cpu(Self.id("old"), cost: 300_000, charged: 300, requested: 300, pods: 3)],
                                 [Self.cpu(Self.id("new"), cost: 1_000_000, charged: 1000, requested: 1000, pods: 10)])
        #expect(result.addedRemovedMicrodollars == 700_000)
        #expect(result.changeMicrodollars == 700_000 && result.sumOfCausesMicrodollars == 700_000)
    }

    @Test("a grown volume claim counts as requests")
    func volumes() {
        var before = Self.cpu(Self.id("db"), cost: 1_000_000, charged: 1000, requested: 1000, pods: 10)
        before.pvMicrodollars = 50_000
        var after = before
        after.pvMicrodollars = 80_000
        let result = Self.causes([before], [after])
        #expect(result.requestsMicrodollars == 30_000 && result.changeMicrodollars == 30_000)
    }

    @Test("everything changing at once, many containers: the parts add up to each group's change exactly")
    func additive() {
        var random = SplitMix64(seed: 47)
        func draw(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &random) }
        var before: [PeriodContainerCost] = [], after: [PeriodContainerCost] = []
        for index in 0..<300 {
            let container = Self.id("w\(index % 40)", namespace: "ns\(index % 7)")
            func period() -> PeriodContainerCost {
                let pods = draw(1...500), cpuRequest = draw(0...4000) * pods, memoryRequest = draw(0...8e9) * pods
                let cpuCharged = cpuRequest + draw(0...2) * draw(0...1000) * pods, memoryCharged = memoryRequest + draw(0...1) * draw(0...2e9) * pods
                return PeriodContainerCost(
                    container: container, cpuMicrodollars: Int64(cpuCharged * draw(0.01...0.05)), ramMicrodollars: Int64(memoryCharged * draw(1e-9...5e-9)),
                    pvMicrodollars: Int64(draw(0...1) < 0.2 ? draw(0...100_000) : 0),
                    drivers: CostDrivers(podHours: pods, cpuRequestMillicoreHours: cpuRequest, cpuUsageMillicoreHours: cpuCharged - cpuRequest,
                                         cpuChargedMillicoreHours: cpuCharged, memoryRequestByteHours: memoryRequest,
                                         memoryUsageByteHours: memoryCharged - memoryRequest, memoryChargedByteHours: memoryCharged))
            }
            let roll = draw(0...1)
            if roll > 0.1 { before.append(period()) }
            if roll < 0.9 { after.append(period()) }
        }
        for group in [{ (id: ContainerID) in id.workload.namespace }, { (id: ContainerID) in "\(id.workload.namespace)/\(id.workload.name)" }] {
            let all = CostCauses.of(before: before, after: after, group: group)
            #expect(all.count > 5)
            for causes in all {
                #expect(causes.sumOfCausesMicrodollars == causes.changeMicrodollars, "\(causes.name)")
            }
            #expect(zip(all, all.dropFirst()).allSatisfy { abs($0.changeMicrodollars) >= abs($1.changeMicrodollars) }, "biggest movers first")
        }
    }

    @Test("drivers from the allocation's own hours: twice the replicas in the second day shows as replicas, at the pool's unit price")
    func fromAllocation() {
        let nodes = [NodePoolsTests.node("a", pool: "p"), NodePoolsTests.node("b", pool: "p")]
        let container = Self.id("api")
        func declared(_ replicas: Int) -> InventoryRecord {
            InventoryRecord(container: container, observedAt: 0, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: .gibibyte),
                            replicas: replicas, nodePool: "p")
        }
        let usage = ContainerUsageHours(container: container, pool: "p", cpuPerPod: Array(repeating: 100, count: 48), memoryPerPod: Array(repeating: 5e8, count: 48),
                                        declared: Array(repeating: declared(1), count: 24) + Array(repeating: declared(2), count: 24))
        let days = DayIndex(start: 0, hours: 48, dayStarts: [0, 86_400])
        let result = CostAllocator.allocate(start: 0, hours: 48, nodes: nodes, containers: [usage], catalog: NodePoolsTests.catalog, dayStarts: [0, 86_400])
        let drivers = CostDrivers.daily(usage, days: days)
        #expect(drivers.map(\.podHours) == [24, 48])
        #expect(drivers.map(\.cpuRequestMillicoreHours) == [12_000, 24_000])
        #expect(drivers.map(\.cpuUsageMillicoreHours) == [2_400, 4_800])
        func period(_ day: Int) -> PeriodContainerCost {
            let cost = result.allocation.containers[0][day]
            return PeriodContainerCost(container: container, cpuMicrodollars: cost.cpu, ramMicrodollars: cost.ram, pvMicrodollars: cost.pv, drivers: drivers[day])
        }
        let causes = Self.causes([period(0)], [period(1)])
        #expect(causes.changeMicrodollars > 0)
        // Shares are rounded down to the micro-dollar each hour, so the unit price moves by less than a micro-dollar an hour.
        #expect(abs(causes.replicasMicrodollars - causes.changeMicrodollars) <= 48)
        #expect(causes.requestsMicrodollars == 0 && causes.usageAboveRequestsMicrodollars == 0)
    }
}

/// Allocation over node snapshots: each hour is paid for with the nodes in force then.
@Suite struct NodeHistoryAllocationTests {
    @Test("a second node from hour 24: day two costs twice day one, and containers + idle = nodes every day")
    func nodesCameAndWent() {
        let one = [NodePoolsTests.node("a", pool: "p")], two = one + [NodePoolsTests.node("b", pool: "p")]
        let container = CostCausesTests.id("api")
        let declared = InventoryRecord(container: container, observedAt: 0, requests: ResourceAmounts(cpu: CPUQuantity(millicores: 500), memory: .gibibyte),
                                       replicas: 1, nodePool: "p")
        let usage = ContainerUsageHours(container: container, pool: "p", cpuPerPod: Array(repeating: 100, count: 48), memoryPerPod: Array(repeating: 5e8, count: 48),
                                        declared: Array(repeating: declared, count: 48))
        let result = CostAllocator.allocate(start: 0, hours: 48, nodes: two, containers: [usage], catalog: NodePoolsTests.catalog,
                                            nodeHistory: [(observedAt: 86_400, nodes: two), (observedAt: 0, nodes: one)])
        let days = result.allocation.pools[0]
        let dayCost: Int64 = 24 * 96_000
        #expect(days.map(\.nodeCost) == [dayCost, 2 * dayCost])
        #expect(days.map(\.nodeHours) == [24, 48])
        for day in 0..<2 {
            #expect(result.allocation.containers[0][day].cpu + result.allocation.containers[0][day].ram + days[day].idle == days[day].nodeCost)
        }
        // The same request costs less on day two: the pool's unit price is its cost over its capacity.
        #expect(result.allocation.containers[0][1].total <= result.allocation.containers[0][0].total)
    }

    @Test("without history, the latest nodes pay for every hour, as before")
    func latestOnly() {
        let nodes = [NodePoolsTests.node("a", pool: "p")]
        let result = CostAllocator.allocate(start: 0, hours: 24, nodes: nodes, containers: [], catalog: NodePoolsTests.catalog)
        #expect(result.allocation.pools[0][0].nodeCost == 24 * 96_000)
    }
}
