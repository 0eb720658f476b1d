import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomHistory

/// Reads what allocation needs from the store (I/O only): hourly per-pod usage from the
/// 5-minute buckets, declared state per hour, and the latest node snapshot.
extension Engine {
    /// With `cache`, hours it holds as final are taken from it and only the rest is read.
    func usageHours(start: Int64, hours: Int, namespaces: [String] = [], cache: UsageHoursCache? = nil,
                    shared: SharedUsageReads? = nil) async throws -> [ContainerUsageHours] {
        let end = start + Int64(hours) * 3600
        let latest = Dictionary(try await store.latestInventory(asOf: end, cluster: cluster).map { ($0.container, $0) }, uniquingKeysWith: { $1 })
        let kept = cache?.windows.entries(forEnd: end) ?? [:]
        var entries: [ContainerID: UsageHoursCache.Entry] = [:]
        var readAll = true
        var hoursRead = 0
        var rows: [ContainerUsageHours] = []
        for container in try await store.containers(cluster: cluster) where namespaces.isEmpty || namespaces.contains(container.workload.namespace) {
            var entry = UsageHoursCache.Entry(start: start, cpu: [], memory: [], declared: [], finalEnd: start)
            if let old = kept[container], let range = KeptWindows<UsageHoursCache.Entry>.reusable(
                keptStart: old.start, finalEnd: old.finalEnd, count: min(old.cpu.count, old.memory.count, old.declared.count), start: start, end: end, step: 3600) {
                entry.cpu = Array(old.cpu[range])
                entry.memory = Array(old.memory[range])
                entry.declared = Array(old.declared[range])
                readAll = false
            }
            let from = start + Int64(entry.cpu.count) * 3600
            // What the advice already read: the store is asked only for the hours before it.
            let given = entry.cpu.isEmpty ? shared?.hours(container, from: from, end: end) : nil
            let readEnd = given?.start ?? end
            func hourly(_ resource: ResourceKind) async throws -> [Double?] {
                guard from < readEnd else { return [] }
                let series = try await store.series(container, resource: resource, statistic: .mean, from: from, to: readEnd, resolution: .fiveMinutes)
                return hourlyMeans(series.values[...], hours: Int((readEnd - from) / 3600))
            }
            if from < end {
                hoursRead += Int((readEnd - from) / 3600)
                entry.cpu += try await hourly(.cpu) + (given?.cpu ?? [])
                entry.memory += try await hourly(.memory) + (given?.memory ?? [])
                if let declared = given?.declared {
                    if from < readEnd {
                        entry.declared += try await store.inventorySeries(container, from: from, to: readEnd, step: 3600).map { $0.map(DeclaredRequests.init) }
                    }
                    entry.declared += declared
                } else {
                    entry.declared += try await store.inventorySeries(container, from: from, to: end, step: 3600).map { $0.map(DeclaredRequests.init) }
                }
            }
            entry.finalEnd = max(start, end - (cache?.rereadSeconds ?? 0))
            entries[container] = entry
            rows.append(ContainerUsageHours(container: container, pool: latest[container]?.nodePool, cpuPerPod: entry.cpu,
                                            memoryPerPod: entry.memory, declared: entry.declared))
        }
        cache?.windows.keep(entries, end: end, whole: readAll, valuesRead: hoursRead)
        return rows
    }

    /// Each container's 5-minute CPU means over `[from, end)`; with `cache`, the final part of
    /// each window comes from it and only the rest from the store.
    func recentCPU(_ containers: [ContainerID], from: Int64, to end: Int64, cache: RecentCPUCache?,
                   shared: SharedUsageReads? = nil) async throws -> [ContainerID: [Double?]] {
        let kept = cache?.windows.entries(forEnd: end) ?? [:]
        var entries: [ContainerID: RecentCPUCache.Entry] = [:]
        var means: [ContainerID: [Double?]] = [:]
        var whole = true
        var read = 0
        for container in containers {
            var entry = RecentCPUCache.Entry(start: from, means: [], finalEnd: from)
            if let old = kept[container], let range = KeptWindows<RecentCPUCache.Entry>.reusable(
                keptStart: old.start, finalEnd: old.finalEnd, count: old.means.count, start: from, end: end, step: 300) {
                entry.means = Array(old.means[range])
                whole = false
            }
            let rest = from + Int64(entry.means.count) * 300
            if entry.means.isEmpty, let given = shared?.recentCPU(container, from: from, end: end) {
                entry.means = given
            } else if rest < end {
                let values = try await store.series(container, resource: .cpu, statistic: .mean, from: rest, to: end, resolution: .fiveMinutes).values
                read += values.count
                entry.means += values
            }
            entry.finalEnd = max(from, end - (cache?.rereadSeconds ?? 0))
            means[container] = entry.means
            if cache != nil { entries[container] = entry }
        }
        cache?.windows.keep(entries, end: end, whole: whole, valuesRead: read)
        return means
    }

    /// The window `since` back from the end of the stored usage, in whole hours.
    func allocationWindow(since: Int64) async throws -> (start: Int64, hours: Int) {
        guard let range = try await store.usageTimeRange(cluster: cluster) else {
            throw EngineError.noUsage
        }
        let end = (range.upperBound + 300 + 3599) / 3600 * 3600
        let start = max((end - since) / 3600 * 3600, range.lowerBound / 3600 * 3600)
        return (start, Int((end - start) / 3600))
    }
}

/// The mean of each hour's stored 5-minute means (nil for an hour without any), from the first
/// of `fiveMinute` on: allocation's hourly usage, whether read from the store or taken from what
/// the advice read (`SharedUsageReads`), so both give the same values.
func hourlyMeans(_ fiveMinute: ArraySlice<Double?>, hours: Int) -> [Double?] {
    var means = [Double?](repeating: nil, count: hours)
    var index = fiveMinute.startIndex
    for hour in 0..<hours where index < fiveMinute.endIndex {
        let end = min(index + 12, fiveMinute.endIndex)
        var sum = 0.0, count = 0
        // Summed in order from 0, as `reduce(0, +)` did: the means stay the same to the bit.
        for value in fiveMinute[index..<end] { if let value { sum += value; count += 1 } }
        if count > 0 { means[hour] = sum / Double(count) }
        index = end
    }
    return means
}
