import HeadroomCore

/// Builds inventory records from per-sample declared state: one record per container for the
/// first observation and for every change after it, in time order. Observations of several pods
/// at one time are one observation: their zones are listed together (`us-east-1a,us-east-1b`).
struct InventoryTracker {
    /// Declared state of a container as seen in one row or sample set.
    struct State: Hashable {
        var requests = ResourceAmounts.none
        var limits = ResourceAmounts.none
        var replicas: Int?
        var nodePool: String?
        var zone: String?
        var hpa: HPASpec?
        var labels: [String: String] = [:]
    }

    private var observations: [ContainerID: [(time: Int64, state: State)]] = [:]

    mutating func observe(_ container: ContainerID, at time: Int64, _ state: State) {
        observations[container, default: []].append((time, state))
    }

    func records() -> [InventoryRecord] {
        var result: [InventoryRecord] = []
        for (container, seen) in observations.sorted(by: { $0.key < $1.key }) {
            var previous: State?
            let ordered = seen.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            var index = 0
            while index < ordered.count {
                let time = ordered[index].time
                var state = ordered[index].state
                var zones: Set<String> = state.zone.map { [$0] } ?? []
                index += 1
                while index < ordered.count && ordered[index].time == time {
                    if let zone = ordered[index].state.zone { zones.insert(zone) }
                    index += 1
                }
                state.zone = zones.isEmpty ? nil : zones.sorted().joined(separator: ",")
                guard state != previous else { continue }
                result.append(InventoryRecord(
                    container: container, observedAt: time, requests: state.requests, limits: state.limits,
                    replicas: state.replicas, nodePool: state.nodePool, zone: state.zone, hpa: state.hpa, labels: state.labels))
                previous = state
            }
        }
        return result
    }
}
