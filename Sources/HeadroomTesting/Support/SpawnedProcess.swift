import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A long-running child (a server) started with `posix_spawn` and an empty signal mask with
/// default dispositions: Foundation's `Process` started from a test thread passes on that
/// thread's blocked SIGTERM, and a signal test would then test nothing. Its standard error is
/// readable line by line; standard output is discarded. One never waited for is killed and
/// reaped when released, so a failing test leaves no server behind.
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    private let stderr: FileHandle
    private var seen = ""
    private let reaped = Atomic<Bool>(false)

    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw SpawnError(description: "pipe: errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(pipe[1])
        guard status == 0 else {
            close(pipe[0])
            throw SpawnError(description: "posix_spawn \(executable): error \(status)")
        }
        pid = child
        stderr = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true)
    }

    /// Reads standard error until `predicate` holds for what was read so far (or the child
    /// closes it); returns everything read.
    public func readStandardError(until predicate: (String) -> Bool) -> String {
        while !predicate(seen) {
            let data = stderr.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        return seen
    }

    /// `readStandardError(until:)` on a dispatch thread: a test awaiting a slow child must not
    /// hold one of Swift concurrency's few cooperative threads (two on this machine), which the
    /// in-process servers of other tests need.
    public func standardError(until predicate: @escaping @Sendable (String) -> Bool) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.readStandardError(until: predicate)) }
        }
    }

    /// `wait()` on a dispatch thread, for the same reason.
    public func exit() async -> (status: Int32, signalled: Bool) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.wait()) }
        }
    }

    public func signal(_ number: Int32) {
        guard !reaped.load(ordering: .acquiring) else { return }
        kill(pid, number)
    }

    deinit {
        guard !reaped.load(ordering: .acquiring) else { return }
        kill(pid, SIGKILL)
        _ = wait()
    }

    /// Waits for the child to end: its exit status, or the signal that ended it.
    public func wait() -> (status: Int32, signalled: Bool) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        reaped.store(true, ordering: .releasing)
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, false) : (signal, true)
    }
}
