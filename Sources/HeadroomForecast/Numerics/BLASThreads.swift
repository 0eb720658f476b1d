#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS (when it is the installed BLAS) starts a thread pool that spin-waits between calls.
/// Headroom's matrices are small (thousands × tens) and it already forecasts series in
/// parallel, so the pool only burns the other core: pin BLAS to one thread. Reference BLAS has
/// no such symbol and needs nothing.
enum BLASThreads {
    static let pinned: Void = {
        typealias SetThreads = @convention(c) (Int32) -> Void
        // A nil handle is RTLD_DEFAULT: every library loaded into the process.
        if let symbol = dlsym(nil, "openblas_set_num_threads") {
            unsafeBitCast(symbol, to: SetThreads.self)(1)
        }
        // The pool started at load time keeps yielding the CPU in a loop for a while (a quarter
        // of a second of system time per process, measured); stop it, since it gets no work.
        typealias Shutdown = @convention(c) () -> Int32
        if let symbol = dlsym(nil, "blas_thread_shutdown_") {
            _ = unsafeBitCast(symbol, to: Shutdown.self)()
        }
    }()
}
