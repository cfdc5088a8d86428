#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening and reading input files without the surprises of special files: nothing blocks (a
/// FIFO is opened with `O_NONBLOCK`), what is not a regular file is refused with what it is, and
/// every read is bounded. Symbolic links owned by another user are refused, as Linux's
/// `fs.protected_symlinks` refuses them in sticky folders.
public enum RegularFile {
    /// What may be read besides a regular file.
    public enum Allowance: Sendable {
        /// Regular files only.
        case regularOnly
        /// Regular files, pipes and FIFOs, and terminals: for a secret read on purpose from
        /// `<(...)` or a named pipe.
        case regularOrPipe
    }

    /// The kind of the non-regular file in `status`, as a message says it.
    static func kindName(_ status: stat) -> String {
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    /// The name of the user with `uid`, or the number.
    static func userName(_ uid: uid_t) -> String {
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name { return "\(String(cString: name)) (uid \(uid))" }
        return "uid \(uid)"
    }

    /// Refuses a path that is a symbolic link owned by another user than the one running psekit
    /// (root included): such a link lets that user choose what psekit reads or replaces. Links of
    /// the running user (and missing paths) pass.
    public static func refuseForeignSymbolicLink(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return }
        guard status.st_uid != geteuid() else { return }
        let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { " to \($0)" } ?? ""
        throw PSEStoreError.access(path: path, code: .foreignSymbolicLink,
                                   reason: "is a symbolic link\(destination) owned by \(userName(status.st_uid)), not by the user running psekit (\(userName(geteuid()))); psekit does not follow another user's link (as fs.protected_symlinks does not); use the real path, or remove the link")
    }

    /// Opens `path` for reading without blocking and checks what it is; returns the descriptor
    /// (blocking again for a pipe allowed by `allowance`) and its status.
    public static func openForReading(_ path: String, allowance: Allowance = .regularOnly) throws -> (descriptor: Int32, status: stat) {
        try refuseForeignSymbolicLink(path)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw PSEStoreError.access(path: path, code: .fileMissing, reason: "no such file")
            case EACCES, EPERM: throw PSEStoreError.access(path: path, code: .permissionDenied, reason: "permission denied; the user running psekit (\(userName(geteuid()))) may not read it")
            case ENOTDIR: throw PSEStoreError.access(path: path, code: .fileMissing, reason: "no such file (a part of the path is not a folder)")
            case ELOOP: throw PSEStoreError.access(path: path, code: .symbolicLinkLoop, reason: "too many levels of symbolic links")
            default: throw PSEStoreError.access(path: path, code: .fileInaccessible, reason: "cannot be opened: \(String(cString: strerror(code)))")
            }
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw PSEStoreError.access(path: path, code: .fileInaccessible, reason: "cannot be examined: \(String(cString: strerror(code)))")
        }
        let type = status.st_mode & S_IFMT
        if type == S_IFREG { return (descriptor, status) }
        if allowance == .regularOrPipe && (type == S_IFIFO || (type == S_IFCHR && isatty(descriptor) == 1)) {
            // A pipe given on purpose: reading may wait for its writer (EOF when there is none).
            let flags = fcntl(descriptor, F_GETFL)
            _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK)
            return (descriptor, status)
        }
        close(descriptor)
        if type == S_IFDIR {
            throw PSEStoreError.access(path: path, code: .isDirectory, reason: "is a directory, not a file; name a file in it")
        }
        throw PSEStoreError.access(path: path, code: .notRegularFile, reason: "not a regular file (it is \(kindName(status))); psekit reads only regular files here")
    }

    /// The bytes of `path`, refused when larger than `limit` bytes (checked before reading, and
    /// while reading for what has no size, such as a pipe).
    public static func read(_ path: String, limit: Int, allowance: Allowance = .regularOnly) throws -> [UInt8] {
        let (descriptor, status) = try openForReading(path, allowance: allowance)
        defer { close(descriptor) }
        let tooLarge = { (size: String) in
            PSEStoreError.access(path: path, code: .fileTooLarge, reason: "is \(size) bytes, larger than the \(limit) bytes (\(limit >> 20 > 0 ? "\(limit >> 20) MiB" : "\(limit >> 10) KiB")) psekit reads for it")
        }
        if status.st_mode & S_IFMT == S_IFREG && Int(status.st_size) > limit { throw tooLarge("\(status.st_size)") }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { SystemCall.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PSEStoreError.access(path: path, code: .fileInaccessible, reason: "cannot be read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
            if bytes.count > limit { throw tooLarge("more than \(limit)") }
        }
        return bytes
    }
}
