import ArgumentParser
import Foundation
import HeadroomConfig
import HeadroomCost

/// `--models DIR` and `--prices FILE`: the price catalog (models/pricing) and the user's terms.
struct PriceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory of run-time models (price catalogs). Default: $HEADROOM_MODELS, ./models, or the one beside the binary's checkout.", valueName: "dir"))
    var models: String?

    @Option(help: ArgumentHelp("Your price terms: discount, negotiated and reserved prices (see models/pricing/overrides.example.yaml).", valueName: "file"))
    var prices: String?

    /// The models directory: explicit, environment, working directory, then upward from the executable.
    var modelsDirectory: String {
        get throws {
            if let models { return models }
            if let fromEnvironment = ProcessInfo.processInfo.environment["HEADROOM_MODELS"], !fromEnvironment.isEmpty { return fromEnvironment }
            let marker = PriceFiles.defaultsFile
            if FileManager.default.fileExists(atPath: "models/\(marker)") { return "models" }
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<6 {
                let candidate = directory.appendingPathComponent("models")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) { return candidate.path }
                directory.deleteLastPathComponent()
            }
            throw ValidationError("cannot find the models directory (with \(marker)): pass --models DIR or set HEADROOM_MODELS")
        }
    }

    func catalog() throws -> PriceCatalog {
        do { return try PriceFiles.load(models: try modelsDirectory, overrides: prices) } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
