import Foundation
import HeadroomCore

/// Reads a history file from disk and parses it with the importer its format calls for.
public enum FileImport {
    public enum Format: String, Sendable, CaseIterable {
        case csv
        case openMetrics = "openmetrics"
        case prometheus
    }

    /// `.csv` files are usage CSV; anything else is exposition text, OpenMetrics when it ends in `# EOF`.
    public static func detectFormat(path: String, contents: String) -> Format {
        if path.lowercased().hasSuffix(".csv") { return .csv }
        return ExpositionImporter.detectFormat(contents) == .openMetrics ? .openMetrics : .prometheus
    }

    public static func load(path: String, format: Format? = nil) throws(ImportError) -> CollectedBatch {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (\(error.localizedDescription))" : "no such file"
            throw ImportError(file: path, line: nil, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ImportError(file: path, line: nil, reason: "not UTF-8 text")
        }
        switch format ?? detectFormat(path: path, contents: text) {
        case .csv: return try CSVUsageImporter().parse(text, file: path)
        case .openMetrics: return try ExpositionImporter().parse(text, file: path, format: .openMetrics)
        case .prometheus: return try ExpositionImporter().parse(text, file: path, format: .prometheusText)
        }
    }
}
