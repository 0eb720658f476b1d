import Foundation

/// Progress on standard error: a line rewritten in place on a terminal, plain log lines
/// (at most one per step) otherwise, so logs and scripts can read them.
final class ProgressReporter {
    private let interactive = isatty(STDERR_FILENO) == 1
    private var lastPercent = -1

    func update(_ label: String, done: Int, total: Int) {
        let percent = total > 0 ? done * 100 / total : 100
        if interactive {
            FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) rows (\(percent)%)".utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if percent != lastPercent {
            printError("\(label): \(done)/\(total) rows (\(percent)%)")
        }
        lastPercent = percent
    }

    func note(_ text: String) {
        printError(text)
    }
}
