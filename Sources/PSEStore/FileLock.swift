#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock beside a file (`NAME.lock`), so that psekit processes changing the same PSE
/// or credential file take turns and no update is lost. The lock file stays; it holds nothing.
public final class FileLock {
    private let descriptor: Int32

    /// Waits until the lock for `path` is ours. A symbolic link of the running user is followed,
    /// so that processes reaching one file by different names share its lock; another user's link
    /// is refused. The lock file itself is never reached through a link (`O_NOFOLLOW`) and must
    /// be a regular file.
    public init(for path: String) throws {
        let resolved = try AtomicFile.resolvingOwnSymbolicLinks(path)
        var target = stat()
        if stat(resolved, &target) == 0 && target.st_mode & S_IFMT != S_IFREG {
            // No lock beside a device or in a folder's parent: such a path is no PSE to change.
            throw PSEStoreError.access(path: resolved, code: target.st_mode & S_IFMT == S_IFDIR ? .isDirectory : .notRegularFile,
                                       reason: target.st_mode & S_IFMT == S_IFDIR ? "is a directory, not a file; nothing was changed"
                                           : "not a regular file (it is \(RegularFile.kindName(target))); nothing was changed")
        }
        let lockPath = resolved + ".lock"
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            var link = stat()
            // ELOOP from O_NOFOLLOW; EACCES where fs.protected_symlinks refuses the link first.
            if code == ELOOP || (lstat(lockPath, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK) {
                throw PSEStoreError.access(path: lockPath, code: .symbolicLinkLoop,
                                           reason: "the lock file is a symbolic link; psekit never follows a link for its lock files; remove the link and run the command again")
            }
            throw PSEStoreError.writeFailed(path: lockPath, operation: "create the lock file", errno: code)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw PSEStoreError.access(path: lockPath, code: .notRegularFile,
                                       reason: "the lock file is not a regular file; remove it and run the command again")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR {
                let code = errno
                close(descriptor)
                throw PSEStoreError.writeFailed(path: lockPath, operation: "lock", errno: code)
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
