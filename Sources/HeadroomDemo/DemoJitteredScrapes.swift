import Foundation
import HeadroomCore

/// A third cluster whose containers are scraped as real ones are: every ~60 s at an offset of
/// their own, with a few seconds of jitter, one counter reset (a restart) and one missed scrape.
/// The demo's own series sit exactly on the 5-minute grid, where raw and downsampled
/// collection cannot differ; these series show how far they do differ elsewhere.
public enum DemoJitteredScrapes {
    public static let clusterName = "jitter"
    public static let namespace = "jitter"
    public static let interval: Int64 = 60

    /// One container's scrapes: (unix seconds with milliseconds, CPU counter seconds, working set bytes).
    public struct Scrape: Sendable, Equatable {
        public var time: Double
        public var cpuSeconds: Double
        public var memoryBytes: Double
    }

    /// `pods` StatefulSet pods (`jitter-0`…) over `[end − hours, end)`, seeded.
    public static func scrapes(pods: Int, hours: Int, end: Int64, seed: UInt64 = 7) -> [String: [Scrape]] {
        var random = SplitMix64(seed: seed)
        var result: [String: [Scrape]] = [:]
        for index in 0..<pods {
            let pod = "jitter-\(index)"
            let offset = 7 + Double(index) * 13.5   // seconds past the minute
            var counter = 50.0
            var scrapes: [Scrape] = []
            var previous: Double?
            let first = end - Int64(hours) * 3600
            for minute in 0..<(hours * 60) {
                // ±4 s of jitter, to the millisecond; scrape 100 of pod 0 is missed.
                let jitter = ((random.nextUnit() * 8 - 4) * 1000).rounded() / 1000
                let time = Double(first) + Double(minute * 60) + offset + jitter
                if index == 0 && minute == 100 { continue }
                let hour = Double(minute) / 60
                let cores = 0.2 + 0.15 * sin(hour / 24 * 2 * .pi) + 0.05 * Double(index) + 0.4 * random.nextUnit() * random.nextUnit()
                if let previous { counter += cores * (time - previous) }
                // Pod 1 restarts at minute 600: its counter starts again from zero.
                if index == 1 && minute == 600 { counter = cores * 30 }
                previous = time
                let memory = (300 + 40 * sin(hour / 6) + 20 * random.nextUnit()) * 1_048_576
                scrapes.append(Scrape(time: time, cpuSeconds: counter, memoryBytes: memory.rounded()))
            }
            result[pod] = scrapes
        }
        return result
    }

    /// The scrapes as OpenMetrics families (no `# EOF`), with a `kube_pod_owner` per pod.
    public static func openMetrics(pods: Int, hours: Int, end: Int64, seed: UInt64 = 7) -> String {
        let all = scrapes(pods: pods, hours: hours, end: end, seed: seed).sorted { $0.key < $1.key }
        func labels(_ pod: String) -> String { "cluster=\"\(clusterName)\",namespace=\"\(namespace)\",pod=\"\(pod)\",container=\"worker\"" }
        func time(_ value: Double) -> String { String(format: "%.3f", value) }
        var text = "# TYPE container_cpu_usage_seconds_total counter\n"
        for (pod, scrapes) in all {
            for scrape in scrapes { text += "container_cpu_usage_seconds_total{\(labels(pod))} \(scrape.cpuSeconds) \(time(scrape.time))\n" }
        }
        text += "# TYPE container_memory_working_set_bytes gauge\n"
        for (pod, scrapes) in all {
            for scrape in scrapes { text += "container_memory_working_set_bytes{\(labels(pod))} \(Int64(scrape.memoryBytes)) \(time(scrape.time))\n" }
        }
        text += "# TYPE kube_pod_owner gauge\n"
        for (pod, scrapes) in all {
            for scrape in scrapes where Int64(scrape.time) % 300 < 60 {
                text += "kube_pod_owner{cluster=\"\(clusterName)\",namespace=\"\(namespace)\",pod=\"\(pod)\",owner_kind=\"StatefulSet\",owner_name=\"jitter\"} 1 \(time(scrape.time))\n"
            }
        }
        return text
    }
}
