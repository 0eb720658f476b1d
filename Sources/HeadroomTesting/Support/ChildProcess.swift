import Foundation

/// Runs a program to completion and captures its output, for tests that drive the built
/// `headroom` binary the way a user or a script does.
public struct ChildProcess: Sendable {
    /// The absolute path of `name` in a folder of PATH, if one holds it (posix_spawn and
    /// Process do not search PATH).
    public static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// True when the process ended by a signal (then `status` is the signal number).
        public var signalled: Bool
    }

    /// Runs `executable` with `arguments` and suspends until it exits. The waiting happens on a
    /// dispatch thread, not on one of Swift concurrency's few cooperative threads, so tests that
    /// drive the binary do not stall the rest of the suite.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           currentDirectory: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, environment: environment, currentDirectory: currentDirectory) })
            }
        }
    }

    /// Runs `executable` with `arguments`, blocking the calling thread until it exits.
    public static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           currentDirectory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let stdoutData = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stdoutData.set(out.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData.get(), as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self),
                      signalled: process.terminationReason == .uncaughtSignal)
    }

    /// Path of the `headroom` binary built next to the test bundle (or `$HEADROOM_BINARY`).
    public static func headroomBinary() throws -> String {
        if let override = ProcessInfo.processInfo.environment["HEADROOM_BINARY"], !override.isEmpty { return override }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("headroom").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey:
            "headroom binary not found next to \(CommandLine.arguments[0]); run 'swift build' first or set HEADROOM_BINARY"])
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
