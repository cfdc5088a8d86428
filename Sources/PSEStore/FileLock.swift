import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock beside a file (`NAME.lock`), so that psekit processes changing the same PSE
/// or credential file take turns and no update is lost. The lock file stays; it holds nothing.
public final class FileLock {
    private let descriptor: Int32

    /// Waits until the lock for `path` is ours. A symbolic link is followed, so that processes
    /// reaching one file by different names share its lock.
    public init(for path: String) throws {
        let lockPath = AtomicFile.resolvingSymbolicLinks(path) + ".lock"
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AtomicFile.WriteError.failed(path: lockPath, operation: "create the lock file", errno: errno)
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR {
                let code = errno
                close(descriptor)
                throw AtomicFile.WriteError.failed(path: lockPath, operation: "lock", errno: code)
            }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Runs `body` holding the lock for `path`.
    public static func withLock<T>(for path: String, _ body: () throws -> T) throws -> T {
        let lock = try FileLock(for: path)
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }
}
