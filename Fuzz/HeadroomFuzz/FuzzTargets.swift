import Foundation
@testable import HeadroomCollect
import HeadroomConfig
import HeadroomCore
import HeadroomCost
import Yams

/// The parsers every byte from outside reaches, one libFuzzer target each (chosen by
/// `HEADROOM_FUZZ_TARGET`; `make fuzz` runs them all). A thrown error is a correct answer to
/// bad input; only a crash, a trap or a sanitizer report is a finding.
enum FuzzTarget: String, CaseIterable {
    case quantity, duration, money, csv, exposition, series, prometheusJSON = "prometheus-json", kubernetesList = "kubernetes-list", yaml
    case serveConfig = "serve-config"

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["HEADROOM_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("HEADROOM_FUZZ_TARGET must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        switch self {
        case .quantity:
            _ = try? CPUQuantity(parsing: text)
            _ = try? MemoryQuantity(parsing: text)
            if let cpu = try? CPUQuantity(parsing: text) { _ = try? CPUQuantity(parsing: cpu.canonical) }
        case .duration:
            _ = try? DurationParser.seconds(text)
        case .money:
            if let amount = Money.microdollars(text) { _ = Money.dollars(amount) }
        case .csv:
            _ = try? CSVUsageImporter().parse(text, file: "fuzz.csv")
        case .exposition:
            _ = try? ExpositionImporter().parse(text, file: "fuzz.om", format: .openMetrics)
            _ = try? ExpositionImporter().parse(text, file: "fuzz.prom", format: .prometheusText)
        case .series:
            _ = try? TimeValueCSV.parse(text, file: "fuzz.csv")
        case .prometheusJSON:
            // The fast answer parser either declines or reads exactly what JSONDecoder reads.
            let decodedEnvelope = try? JSONDecoder().decode(PrometheusEnvelope<PrometheusQueryData>.self, from: data)
            if let fast = PrometheusAnswerParser.parse(data) {
                guard let slow = decodedEnvelope?.data, decodedEnvelope?.status == "success", fast.series == slow.series else {
                    fatalError("PrometheusAnswerParser read an answer JSONDecoder reads otherwise")
                }
            }
            // So does the series-listing reader.
            if let fast = PrometheusAnswerParser.parseLabelSets(data) {
                let slow = try? JSONDecoder().decode(PrometheusEnvelope<[[String: String]]>.self, from: data)
                guard slow?.status == "success", slow?.data == fast else {
                    fatalError("PrometheusAnswerParser read a series listing JSONDecoder reads otherwise")
                }
                // The streamed counter of a run's listing counts what the reader reads, whole and in pieces.
                for piece in [data.count, 1 + Int(data.first ?? 0) % 64] {
                    var counter = SeriesListingCounter()
                    data.withUnsafeBytes { bytes in
                        for start in stride(from: 0, to: bytes.count, by: max(1, piece)) {
                            counter.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + piece)]))
                        }
                    }
                    guard counter.count == fast.count, counter.isComplete, !counter.malformed else {
                        fatalError("SeriesListingCounter counted \(counter.count) label sets where the reader read \(fast.count)")
                    }
                }
            }
            // Streamed in pieces cut where the input's first byte says, the reader either declines
            // or hands over exactly the series of the whole-body parser.
            let piece = 1 + Int(data.first ?? 0) % 64
            var stream = PrometheusAnswerStream()
            var streamed: [PrometheusSeries] = []
            data.withUnsafeBytes { bytes in
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + piece)
                    stream.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { streamed.append($0) }
                    start = end
                }
            }
            let whole = PrometheusAnswerParser.parse(data)
            if stream.finish(emit: { streamed.append($0) }) != nil {
                guard let whole, whole.series == streamed else {
                    fatalError("PrometheusAnswerStream read an answer the whole-body parser reads otherwise")
                }
            } else if whole != nil {
                // Declining costs a second request: it must not happen to an answer the parser reads.
                fatalError("PrometheusAnswerStream declined an answer the whole-body parser reads")
            }
            // A query answer as the collector reads it: the envelope, then each sample into the importer's state.
            guard let envelope = decodedEnvelope, let result = envelope.data else { return }
            var state = ExpositionState()
            for series in result.result {
                var labels: [Substring: String] = [:]
                for (key, value) in series.metric { labels[Substring(key)] = value }
                for pair in (series.values ?? []) + (series.value.map { [$0] } ?? []) where pair.value.isFinite {
                    let sample = ExpositionSample(name: Substring(series.metric["__name__"] ?? "container_memory_working_set_bytes"), labels: labels,
                                                  value: pair.value, timestamp: pair.time)
                    try? state.add(sample, time: pair.time, line: 0)
                }
            }
            _ = try? state.batch(file: "fuzz")
        case .kubernetesList:
            let decoder = JSONDecoder()
            if let pods = try? decoder.decode(K8s.List<K8s.Pod>.self, from: data) {
                for pod in pods.items {
                    for container in pod.spec.containers {
                        for (_, value) in (container.resources?.requests ?? [:]).merging(container.resources?.limits ?? [:], uniquingKeysWith: { $1 }) {
                            _ = try? CPUQuantity(parsing: value)
                            _ = try? MemoryQuantity(parsing: value)
                        }
                    }
                }
            }
            _ = try? decoder.decode(K8s.List<K8s.Node>.self, from: data)
            _ = try? decoder.decode(K8s.List<K8s.Status>.self, from: data)
        case .yaml:
            // Every YAML file Headroom reads, through the same parse functions the commands use.
            guard let document = try? LocatedYAML.parse(text, file: "fuzz.yaml") else { return }
            _ = try? SizingOverridesFile.parse(document)
            _ = try? BudgetFile.parse(document)
            _ = try? CapacityPlanFile.parse(document)
            _ = try? PriceFiles.nodeTypes(document)
            var catalog = PriceCatalog(nodeTypes: [CatalogNodeType(name: "m6i.large", vcpu: 2, memoryGiB: 8, maxPods: 29, onDemand: 96_000)],
                                       units: .openCostDefaults)
            try? PriceFiles.apply(document, to: &catalog)
            _ = try? YAMLDecoder(encoding: .utf8).decode(PrometheusQuerySet.self, from: text)
        case .serveConfig:
            // `headroom serve --config FILE`, added after the yaml target's long run: its own target.
            guard let document = try? LocatedYAML.parse(text, file: "serve.yaml") else { return }
            _ = try? ServeConfigFile.parse(document)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    FuzzTarget.selected.run(data)
    return 0
}
