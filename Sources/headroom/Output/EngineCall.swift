import ArgumentParser
import HeadroomEngine

/// Runs an engine question and maps its errors to the CLI's exit codes: missing data and invalid
/// input are usage errors (exit 2) with the engine's message; anything else fails (exit 1).
enum EngineCall {
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as EngineError {
            throw ValidationError(error.description)
        }
    }

    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EngineError {
            throw ValidationError(error.description)
        }
    }
}
