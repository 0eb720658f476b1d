import Foundation

/// The HPA's replica calculation for one metric (`replica_calculator.go` upstream). Amounts are
/// milli-units; utilization is an integer percent.
public enum HPAReplicaCalculator {
    public struct Tolerance: Sendable, Hashable {
        public var scaleDown: Double
        public var scaleUp: Double
        public init(scaleDown: Double = 0.1, scaleUp: Double = 0.1) {
            self.scaleDown = scaleDown
            self.scaleUp = scaleUp
        }
        func contains(_ ratio: Double) -> Bool { ratio >= 1 - scaleDown && ratio <= 1 + scaleUp }
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// A pod as the calculator sees it: classification group, request and sampled value.
    public struct PodSample: Sendable {
        public var name: String
        /// ready, unready, missing or ignored (see `HPAPodGrouping`).
        public var group: Group
        public var request: Int64
        public var value: Int64?
        public enum Group: Sendable { case ready, unready, missing, ignored }
        public init(name: String, group: Group, request: Int64, value: Int64?) {
            self.name = name
            self.group = group
            self.request = request
            self.value = value
        }
    }

    public struct Result: Sendable, Equatable {
        public var replicas: Int
        /// Integer percent (resource utilization) or average value (plain metrics), before rebalancing.
        public var utilization: Int64
        public var rawAverageValue: Int64
    }

    /// The request that is the utilization denominator: app containers plus restartable init
    /// containers, or one named container, or the pod-level request when that feature is on.
    public static func podRequest(containers: [(name: String, request: Int64?)], restartableInit: [(name: String, request: Int64?)],
                                  podLevelRequest: Int64?, container: String?, podLevelResources: Bool, resource: String, pod: String) throws(Failure) -> Int64 {
        if let container, !container.isEmpty {
            guard let match = (containers + restartableInit).first(where: { $0.name == container }), let request = match.request else {
                throw Failure(message: "missing request for \(resource) in container \(container) of Pod \(pod)")
            }
            return request
        }
        if podLevelResources, let podLevelRequest { return podLevelRequest }
        var total: Int64 = 0
        for entry in containers + restartableInit {
            guard let request = entry.request else { throw Failure(message: "missing request for \(resource) in container \(entry.name) of Pod \(pod)") }
            total += request
        }
        return total
    }

    /// Resource utilization target (percent of request).
    public static func utilization(current: Int, target: Int, pods: [PodSample], tolerance: Tolerance) throws(Failure) -> Result {
        let samples = pods.filter { $0.group == .ready && $0.value != nil }
        let usage = samples.reduce(Int64(0)) { $0 + $1.value! }
        let requests = samples.reduce(Int64(0)) { $0 + $1.request }
        guard requests > 0 else { throw Failure(message: "no metrics returned matched known pods") }
        let utilization = Int64((100 * Double(usage) / Double(requests)).rounded(.down))
        let rawAverage = usage / Int64(samples.count)
        let ratio = Double(utilization) / Double(target)
        let missing = pods.filter { $0.group == .missing }
        let unready = pods.filter { $0.group == .unready }
        let result = { (replicas: Int) in Result(replicas: replicas, utilization: utilization, rawAverageValue: rawAverage) }
        if missing.isEmpty && !(!unready.isEmpty && ratio > 1) {
            return result(tolerance.contains(ratio) ? current : Int((ratio * Double(samples.count)).rounded(.up)))
        }
        // Rebalance: missing pods at max(100, target) % on the way down, 0 on the way up;
        // unready pods at 0 on the way up.
        var totalUsage = Double(usage)
        var totalRequests = Double(requests)
        var count = samples.count
        if ratio != 1 {
            for pod in missing {
                totalUsage += ratio < 1 ? Double(pod.request) * Double(max(100, target)) / 100 : 0
                totalRequests += Double(pod.request)
                count += 1
            }
        }
        if ratio > 1 {
            for pod in unready {
                totalRequests += Double(pod.request)
                count += 1
            }
        }
        let newUtilization = (100 * totalUsage / totalRequests).rounded(.down)
        let newRatio = newUtilization / Double(target)
        if tolerance.contains(newRatio) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) { return result(current) }
        let proposed = Int((newRatio * Double(count)).rounded(.up))
        if (newRatio < 1 && proposed > current) || (newRatio > 1 && proposed < current) { return result(current) }
        return result(proposed)
    }

    /// Pods metric or resource AverageValue target (average value per pod).
    public static func averageValue(current: Int, target: Int64, pods: [PodSample], tolerance: Tolerance) throws(Failure) -> Result {
        let samples = pods.filter { $0.group == .ready && $0.value != nil }
        guard !samples.isEmpty else { throw Failure(message: "no metrics returned matched known pods") }
        let total = samples.reduce(Int64(0)) { $0 + $1.value! }
        let usage = total / Int64(samples.count)
        let ratio = Double(usage) / Double(target)
        let missing = pods.filter { $0.group == .missing }
        let unready = pods.filter { $0.group == .unready }
        let result = { (replicas: Int) in Result(replicas: replicas, utilization: usage, rawAverageValue: usage) }
        if missing.isEmpty && !(!unready.isEmpty && ratio > 1) {
            return result(tolerance.contains(ratio) ? current : Int((ratio * Double(samples.count)).rounded(.up)))
        }
        var sum = Double(total)
        var count = samples.count
        if ratio != 1 {
            for _ in missing {
                sum += ratio < 1 ? Double(target) : 0
                count += 1
            }
        }
        if ratio > 1 { count += unready.count }
        let newRatio = (sum / Double(count)).rounded(.down) / Double(target)
        if tolerance.contains(newRatio) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) { return result(current) }
        let proposed = Int((newRatio * Double(count)).rounded(.up))
        if (newRatio < 1 && proposed > current) || (newRatio > 1 && proposed < current) { return result(current) }
        return result(proposed)
    }

    /// Object or External metric with a Value target. `readyPods`: Running and Ready.
    public static func value(current: Int, observed: Int64, target: Int64, readyPods: Int, tolerance: Tolerance) -> (replicas: Int, usage: Int64) {
        let ratio = Double(observed) / Double(target)
        if current == 0 { return (Int(ratio.rounded(.up)), observed) }
        if tolerance.contains(ratio) { return (current, observed) }
        return (Int(min(ratio * Double(readyPods), Double(Int32.max)).rounded(.up)), observed)
    }

    /// Object or External metric with an AverageValue target, against `status.replicas`.
    public static func averageValue(statusReplicas: Int, observed: Int64, target: Int64, tolerance: Tolerance) -> (replicas: Int, usage: Int64) {
        let ratio = Double(observed) / (Double(target) * Double(statusReplicas))
        let replicas = Int64(max(1, statusReplicas))
        let usage = observed / replicas + (observed % replicas == 0 ? 0 : 1)  // integer ceil: sums may saturate at Int64.max
        if tolerance.contains(ratio) { return (statusReplicas, usage) }
        return (Int(min((Double(observed) / Double(target)).rounded(.up), Double(Int32.max))), usage)
    }
}
