import HeadroomCore
@testable import HeadroomCost
import PropertyBased
import Testing

@Suite struct AllocationTests {
    func container(_ name: String, pool: Int?, cpu: [Int64], memory: [Int64]) -> ContainerHours {
        ContainerHours(container: ContainerID(namespace: "ns", kind: .deployment, workload: name, container: "c"), pool: pool,
                       cpuMillicores: cpu, memoryBytes: memory)
    }

    @Test("a container pays its share of the pool; the rest is idle")
    func shares() {
        // 4 cores and 16 GiB for $0.20/h: $0.12 CPU, $0.08 RAM.
        let pool = PoolHours(name: "p", cpuMillicores: [4000], memoryBytes: [16 << 30], cpuHourly: [120_000], ramHourly: [80_000], nodes: [1])
        let result = Allocation.daily(start: 0, hours: 1, pools: [pool], containers: [
            container("a", pool: 0, cpu: [1000], memory: [4 << 30]),
            container("b", pool: 0, cpu: [500], memory: [2 << 30]),
        ], units: .openCostDefaults)
        #expect(result.containers[0][0] == .init(cpu: 30_000, ram: 20_000))
        #expect(result.containers[1][0] == .init(cpu: 15_000, ram: 10_000))
        #expect(result.pools[0][0].idleCPU == 75_000 && result.pools[0][0].idleRAM == 50_000)
        #expect(result.pools[0][0].nodeCost == 200_000)
    }

    @Test("over-committed pools scale the shares to the capacity: no negative idle")
    func overcommitted() {
        let pool = PoolHours(name: "p", cpuMillicores: [1000], memoryBytes: [1 << 30], cpuHourly: [90_000], ramHourly: [10_000], nodes: [1])
        let result = Allocation.daily(start: 0, hours: 1, pools: [pool], containers: [
            container("a", pool: 0, cpu: [1500], memory: [1 << 29]),
            container("b", pool: 0, cpu: [1500], memory: [1 << 29]),
        ], units: .openCostDefaults)
        #expect(result.containers[0][0].cpu == 45_000 && result.containers[1][0].cpu == 45_000)
        #expect(result.pools[0][0].idleCPU == 0)
    }

    @Test("containers without priced nodes pay the unit prices")
    func unpriced() {
        let result = Allocation.daily(start: 0, hours: 2, pools: [], containers: [container("a", pool: nil, cpu: [1000, 2000], memory: [1 << 30, 1 << 30])], units: .openCostDefaults)
        let units = UnitPrices.openCostDefaults
        #expect(result.containers[0][0].cpu == 3 * units.cpuPerVCPUHour && result.containers[0][0].ram == 2 * units.ramPerGiBHour)
    }

    @Test("hours fall into UTC days")
    func days() {
        // 23:00 to 02:00 UTC: one hour on the first day, two on the next.
        let start: Int64 = 86_400 - 3600
        let pool = PoolHours(name: "p", cpuMillicores: [1000, 1000, 1000], memoryBytes: [1 << 30, 1 << 30, 1 << 30],
                             cpuHourly: [10, 10, 10], ramHourly: [5, 5, 5], nodes: [1, 1, 1])
        let result = Allocation.daily(start: start, hours: 3, pools: [pool], containers: [], units: .openCostDefaults)
        #expect(result.days == [0, 86_400])
        #expect(result.pools[0].map(\.hours) == [1, 2] && result.pools[0].map(\.nodeCost) == [15, 30])
    }

    @Test("on random clusters, per pool and day, containers + idle = node cost to the micro-dollar, and idle is never negative")
    func addsUp() async {
        let cluster = zip(Gen.int(in: 1...60), Gen.int(in: 1...4), Gen.int(in: 0...40), Gen.uint64(in: 0...UInt64.max))
        await propertyCheck(count: 200, input: cluster) { hours, poolCount, containerCount, seed in
            var random = SplitMix64(seed: seed)
            let pools = (0..<poolCount).map { index in
                PoolHours(name: "p\(index)",
                          cpuMillicores: (0..<hours).map { _ in Int64(random.next() % 64_000) },
                          memoryBytes: (0..<hours).map { _ in Int64(random.next() % (256 << 30)) },
                          cpuHourly: (0..<hours).map { _ in Int64(random.next() % 5_000_000) },
                          ramHourly: (0..<hours).map { _ in Int64(random.next() % 3_000_000) },
                          nodes: (0..<hours).map { _ in Int(random.next() % 20) })
            }
            let containers = (0..<containerCount).map { index in
                container("w\(index)", pool: random.next() % 5 == 0 ? nil : Int(random.next() % UInt64(poolCount)),
                          cpu: (0..<hours).map { _ in Int64(random.next() % 8_000) }, memory: (0..<hours).map { _ in Int64(random.next() % (32 << 30)) })
            }
            let start = Int64(random.next() % 10_000_000)
            let result = Allocation.daily(start: start, hours: hours, pools: pools, containers: containers, units: .openCostDefaults)
            for (poolIndex, pool) in pools.enumerated() {
                for day in result.days.indices {
                    let members = containers.indices.filter { containers[$0].pool == poolIndex }
                    let charged = members.reduce(Int64(0)) { $0 + result.containers[$1][day].total }
                    #expect(charged + result.pools[poolIndex][day].idle == result.pools[poolIndex][day].nodeCost)
                    #expect(result.pools[poolIndex][day].idleCPU >= 0 && result.pools[poolIndex][day].idleRAM >= 0)
                }
                // The window's node cost is every hour's, once.
                let total = result.pools[poolIndex].reduce(Int64(0)) { $0 + $1.nodeCost }
                #expect(total == zip(pool.cpuHourly, pool.ramHourly).reduce(Int64(0)) { $0 + $1.0 + $1.1 })
            }
        }
    }
}
