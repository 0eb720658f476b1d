import ArgumentParser
import Foundation

/// Entry point: runs the command and maps every outcome to Headroom's documented exit codes
/// (0 ok, 1 failure, 2 usage error, 3 policy violation).
@main
enum HeadroomMain {
    static func main() async {
        MallocTuning.apply()
        let command: any ParsableCommand
        do {
            command = try HeadroomCommand.parseAsRoot()
        } catch {
            let code = HeadroomCommand.exitCode(for: error)
            if code == .success {
                HeadroomCommand.exit(withError: error)  // --help, --version
            }
            FileHandle.standardError.write(Data((HeadroomCommand.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.usage)
        }
        let status = await run(command)
        await OpenedStores.shutDownAll()
        exit(status)
    }

    /// Runs the command; its exit status, with the message of a failure on standard error.
    private static func run(_ command: any ParsableCommand) async -> Int32 {
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            return ExitStatus.success
        } catch let error as PartialFailure {
            FileHandle.standardError.write(Data("headroom: \(error.message)\n".utf8))
            return ExitStatus.failure
        } catch let error as PolicyViolation {
            FileHandle.standardError.write(Data("headroom: \(error.message)\n".utf8))
            return ExitStatus.policyViolation
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data("headroom: \(error.message)\n".utf8))
            return ExitStatus.usage
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            // `--help` on a subcommand arrives here as a help command that "fails" cleanly.
            if HeadroomCommand.exitCode(for: error) == .success { HeadroomCommand.exit(withError: error) }
            FileHandle.standardError.write(Data("headroom: \(error)\n".utf8))
            return ExitStatus.failure
        }
    }
}

/// Headroom's exit codes, documented in `headroom --help` and the README.
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    static let policyViolation: Int32 = 3
}

/// A check that ran and found a violation (exit code 3), as opposed to a failure to run.
struct PolicyViolation: Error {
    let message: String
}
