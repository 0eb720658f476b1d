import HeadroomCore

extension CostAllocationResult {
    /// The allocation as the rows the store keeps per day: containers with a cost, pools with
    /// hours, unattached volumes with a cost.
    public var storedRows: (containers: [StoredContainerCost], pools: [StoredPoolCost], volumes: [StoredVolumeCost]) {
        var containerRows: [StoredContainerCost] = []
        for (index, container) in containers.enumerated() {
            for (day, cost) in zip(allocation.days, allocation.containers[index]) where cost.total > 0 {
                containerRows.append(StoredContainerCost(day: day, container: container, pool: containerPools[index],
                                                         cpuMicrodollars: cost.cpu, ramMicrodollars: cost.ram, pvMicrodollars: cost.pv))
            }
        }
        var poolRows: [StoredPoolCost] = []
        for (index, pool) in pools.enumerated() {
            for (day, cost) in zip(allocation.days, allocation.pools[index]) where cost.hours > 0 {
                poolRows.append(StoredPoolCost(day: day, pool: pool, nodeMicrodollars: cost.nodeCost, idleCPUMicrodollars: cost.idleCPU,
                                               idleRAMMicrodollars: cost.idleRAM, hours: cost.hours, nodeHours: cost.nodeHours))
            }
        }
        let volumeRows = unattachedVolumes.flatMap { volume, days in
            zip(allocation.days, days).filter { $0.1 > 0 }.map { StoredVolumeCost(day: $0.0, volume: volume.name, microdollars: $0.1) }
        }
        return (containerRows, poolRows, volumeRows)
    }
}
