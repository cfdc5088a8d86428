#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of the psekit process that protect the PINs and keys it holds in memory.
enum ProcessHardening {
    /// Disables core dumps for the whole run (PINs and keys are in memory from the first
    /// command on): the core size limit is set to 0 (soft and hard), and on Linux the process is
    /// made non-dumpable (`prctl(PR_SET_DUMPABLE, 0)`), which also keeps other processes of the
    /// same user from reading its memory through ptrace or `/proc/PID/mem`.
    static func disableCoreDumps() {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        #if os(Linux)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &limit)
        // prctl is variadic in C and not imported into Swift; its integer arguments pass the same
        // way through a non-variadic pointer on Linux's x86-64 and AArch64 ABIs.
        typealias PrctlFunction = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        let prSetDumpable: Int32 = 4
        if let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "prctl") {
            _ = unsafeBitCast(symbol, to: PrctlFunction.self)(prSetDumpable, 0, 0, 0, 0)
        }
        #else
        _ = setrlimit(RLIMIT_CORE, &limit)
        #endif
    }
}
