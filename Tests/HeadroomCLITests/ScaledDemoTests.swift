import Foundation
import HeadroomCore
import HeadroomDemo
import Testing

/// The demo's shapes at any size, for benchmarks and tests at scale.
@Suite struct ScaledDemoTests {
    @Test("250 workloads of 4 pods: distinct names, 4 pods at peak each, the demo's leak and idle workload recurring, the same bytes every run")
    func thousandPods() {
        let specs = DemoCluster.scaled(workloads: 250, podsPerWorkload: 4)
        #expect(Set(specs.map(\.workloadID)).count == 250)
        #expect(specs.allSatisfy { $0.maxReplicas == 4 && $0.minReplicas >= 1 && $0.minReplicas <= 4 })
        let leaks = specs.filter { if case .memoryLeak = $0.anomaly { true } else { false } }
        #expect(leaks.count == 250 / DemoCluster.workloads.count + 1, "one leaking payment processor per copy of the demo")
        var options = DemoClusterGenerator.Options()
        options.days = 1
        options.sampleInterval = 300
        let generator = DemoClusterGenerator(options: options, workloads: Array(specs.prefix(40)))
        var pods: Set<String> = [], samples = 0
        generator.generate { sample in
            pods.insert("\(sample.workload.workloadID)/\(sample.pod)")
            samples += 1
        }
        #expect(pods.count >= 40 && pods.count <= 160)
        #expect(DemoOpenMetricsWriter.render(generator) == DemoOpenMetricsWriter.render(generator))
        #expect(samples > 40 * 288)
    }

    @Test("windowed rendering writes each window as complete OpenMetrics, and together they hold every line of the whole")
    func windows() {
        var options = DemoClusterGenerator.Options()
        options.days = 1
        let generator = DemoClusterGenerator(options: options, workloads: Array(DemoCluster.workloads.prefix(3)))
        var parts: [(Int, String)] = []
        DemoOpenMetricsWriter.render(generator, windowSeconds: 6 * 3600) { parts.append(($0, $1)) }
        #expect(parts.map(\.0) == [0, 1, 2, 3])
        #expect(parts.allSatisfy { $0.1.hasSuffix("# EOF\n") && $0.1.contains("container_cpu_usage_seconds_total{") })
        func samples(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("#") } }
        let whole = samples(DemoOpenMetricsWriter.render(generator))
        #expect(Set(parts.flatMap { samples($0.1) }) == Set(whole) && parts.reduce(0) { $0 + samples($1.1).count } == whole.count)
        // Each window holds only its own 6 hours.
        for (index, text) in parts {
            let times = samples(text).compactMap { $0.split(separator: " ").last.flatMap { Int64($0) } }
            #expect(times.allSatisfy { (generator.start + Int64(index) * 21_600..<generator.start + Int64(index + 1) * 21_600).contains($0) })
        }
    }
}
