#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc gives each thread that allocates under contention an arena of its own (up to eight per
/// core), and freed memory stays in the arena it came from. The collector's HTTP and task
/// threads each receive and free answers, so its peak RSS followed the number of threads rather
/// than the data: 120 MiB for 1,000 pods × 7 days, against 86 MiB with two arenas that are
/// trimmed above 1 MiB free (README, "Collector at scale"). Applied first thing in `main`,
/// unless the user tunes malloc through `GLIBC_TUNABLES` or `MALLOC_ARENA_MAX` already.
enum MallocTuning {
    static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) {
        #if canImport(Glibc)
        guard environment["GLIBC_TUNABLES"] == nil, environment["MALLOC_ARENA_MAX"] == nil,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        // mallopt is in malloc.h, which the Glibc module does not export; these are its constants.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let arenaMax: Int32 = -8, trimThreshold: Int32 = -1
        _ = mallopt(arenaMax, 2)
        _ = mallopt(trimThreshold, 1 << 20)
        #endif
    }
}
