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

/// Writes files so that a reader sees either the old or the new content, never a mix, even when
/// the process is killed or the disk fills: the bytes go to a temporary file in the same folder,
/// are flushed to disk, and the temporary file is renamed over the target; then the folder is
/// flushed too.
public enum AtomicFile {
    /// Writes `bytes` to `path`, always as a new file with mode `newFileMode`, owned by the user
    /// running psekit: an existing file is replaced (a new temporary file renamed over it), never
    /// written into, and neither its owner nor its mode is taken over (a file another user
    /// prepared must not receive a key). When `path` is a symbolic link of the running user, the
    /// file it points to is replaced and the link stays; a link owned by another user is refused.
    /// What exists and is not a regular file (a folder, a device) is refused; so is a read-only
    /// file unless `replacingReadOnly` (the caller has been told to replace it).
    public static func write(_ bytes: [UInt8], to givenPath: String, newFileMode: mode_t = 0o600,
                             replacingReadOnly: Bool = false) throws {
        let path = try resolvingOwnSymbolicLinks(givenPath)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var existing = stat()
        if lstat(path, &existing) == 0 {
            let type = existing.st_mode & S_IFMT
            if type == S_IFDIR {
                throw PSEStoreError.access(path: path, code: .isDirectory, reason: "is a directory; nothing was written; name a file instead")
            }
            if type != S_IFREG {
                throw PSEStoreError.access(path: path, code: .notRegularFile,
                                           reason: "exists and is not a regular file (it is \(RegularFile.kindName(existing))); nothing was written")
            }
            if existing.st_mode & 0o222 == 0 && !replacingReadOnly {
                throw PSEStoreError.readOnly(path: path, mode: existing.st_mode & 0o7777)
            }
        }

        removeStaleTemporaryFiles(of: path)
        let temporaryPath = folder + "/" + temporaryPrefix(of: url.lastPathComponent)
            + "\(hostName)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        // O_EXCL with O_CREAT never follows a link; O_NOFOLLOW says so twice. Created 0600, the
        // final mode is set below, before any byte is written.
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PSEStoreError.writeFailed(path: path, operation: "create a temporary file in \(folder)", errno: errno) }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporaryPath) }
        }
        do {
            defer { close(descriptor) }
            // open() applies the umask; set the mode exactly.
            if fchmod(descriptor, newFileMode) != 0 { throw PSEStoreError.writeFailed(path: path, operation: "set the mode of", errno: errno) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { SystemCall.write(descriptor, $0.baseAddress!, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw PSEStoreError.writeFailed(path: path, operation: "write", errno: errno)
                }
                offset += written
            }
            if fsync(descriptor) != 0 { throw PSEStoreError.writeFailed(path: path, operation: "flush to disk", errno: errno) }
        }
        if rename(temporaryPath, path) != 0 { throw PSEStoreError.writeFailed(path: path, operation: "replace", errno: errno) }
        succeeded = true
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// The file a path names after following symbolic links (at most 32), so that writing through
    /// a link replaces the file it points to instead of the link. Every link on the way must
    /// belong to the user running psekit: another user's link is refused (see
    /// `RegularFile.refuseForeignSymbolicLink`).
    public static func resolvingOwnSymbolicLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<32 {
            try RegularFile.refuseForeignSymbolicLink(current)
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK,
                  let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                return current
            }
            current = destination.hasPrefix("/") ? destination
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        throw PSEStoreError.access(path: path, code: .symbolicLinkLoop, reason: "too many levels of symbolic links")
    }

    // MARK: Temporary files left by killed writers

    /// A writer killed between creating its temporary file and renaming it (SIGKILL, power loss)
    /// leaves `.NAME.psekit-HOST-PID-RANDOM.tmp` behind; the target itself is intact. The next
    /// write of the same file removes such files when their process is gone: on this host when no
    /// process PID exists, from another host (a shared folder) when they are older than an hour.
    static let staleForeignTemporaryFileAge: TimeInterval = 3600

    static func temporaryPrefix(of fileName: String) -> String { "." + fileName + ".psekit-" }

    /// The host name as it goes into temporary file names: letters, digits and dots only.
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") }
        return name.isEmpty ? "localhost" : name
    }()

    /// Removes the temporary files of `path` whose writer no longer runs; returns how many.
    @discardableResult
    static func removeStaleTemporaryFiles(of path: String, now: Date = Date()) -> Int {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let prefix = temporaryPrefix(of: url.lastPathComponent)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            // HOST-PID-RANDOM; the host name holds no "-".
            let fields = name.dropFirst(prefix.count).dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
            guard fields.count == 3, let pid = pid_t(fields[1]), pid > 0, UInt32(fields[2]) != nil else { continue }
            let candidate = folder + "/" + name
            let stale: Bool
            if fields[0] == hostName {
                stale = kill(pid, 0) != 0 && errno == ESRCH
            } else {
                let modified = (try? FileManager.default.attributesOfItem(atPath: candidate))?[.modificationDate] as? Date
                stale = modified.map { now.timeIntervalSince($0) > staleForeignTemporaryFileAge } ?? false
            }
            if stale && unlink(candidate) == 0 { removed += 1 }
        }
        return removed
    }
}
