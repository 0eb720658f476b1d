import Foundation
import HeadroomDemo
import HeadroomTesting

/// The demo cluster's history (5-minute samples) with its nodes, quotas and volumes, written
/// into a directory, ready to import: what the cost and assessment tests start from.
struct DemoStore {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let models = root.appendingPathComponent("models").path

    let options: DemoClusterGenerator.Options
    let binary: String
    let store: String
    /// The usage CSV and the cluster objects' exposition file.
    let files: [String]

    init(in directory: TemporaryDirectory) throws {
        var options = DemoClusterGenerator.Options()
        options.sampleInterval = 300
        let csv = directory.file("demo.csv"), cluster = directory.file("cluster.prom")
        try DemoCSVWriter.write(DemoClusterGenerator(options: options), to: csv)
        try DemoClusterObjects.write(to: cluster, time: options.end - 300)
        self.options = options
        binary = try ChildProcess.headroomBinary()
        store = directory.file("h.sqlite")
        files = [csv, cluster]
    }

    /// Runs `headroom ARGUMENTS --db STORE` with the checkout's models.
    func run(_ arguments: [String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(binary, arguments + ["--db", store], environment: ["HEADROOM_MODELS": Self.models])
    }
}
