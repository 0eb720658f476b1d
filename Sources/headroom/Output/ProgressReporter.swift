import Foundation
import HeadroomCollect
import HeadroomEngine

/// Progress on standard error: a line rewritten in place on a terminal, plain log lines
/// (at most one per step) otherwise, so logs and scripts can read them. Updates may come from
/// any thread; a lock keeps them in order.
final class ProgressReporter: @unchecked Sendable {
    private let interactive = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastPercent = -1
    private var lastChunkLogged = 0

    /// The engine's progress callback, counted in containers.
    var handler: ProgressHandler {
        { [self] label, done, total in update(label, done: done, total: total, unit: "containers") }
    }

    func update(_ label: String, done: Int, total: Int, unit: String = "rows") {
        lock.lock()
        defer { lock.unlock() }
        let percent = total > 0 ? done * 100 / total : 100
        if interactive {
            FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) \(unit) (\(percent)%)".utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if percent != lastPercent {
            printError("\(label): \(done)/\(total) \(unit) (\(percent)%)")
        }
        lastPercent = percent
    }

    /// Progress of a collection: a bar on a terminal (updated after every query), one line per
    /// finished chunk otherwise.
    func collection(_ step: CollectionProgress) {
        lock.lock()
        defer { lock.unlock() }
        let eta = step.etaSeconds.map { String(format: " ETA %.0fs", $0) } ?? ""
        let text = "chunk \(step.chunksDone)/\(step.chunksTotal), series \(step.seriesDone)/\(step.seriesTotal), \(step.samples) samples\(eta)"
        if interactive {
            let width = 24
            let filled = step.seriesTotal > 0 ? min(width, width * step.seriesDone / step.seriesTotal) : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(text)".utf8))
            if step.chunksDone >= step.chunksTotal { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if step.chunksDone != lastChunkLogged {
            lastChunkLogged = step.chunksDone
            printError("collect: \(text)")
        }
    }

    func note(_ text: String) {
        printError(text)
    }
}
