import Foundation
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
    public enum WriteError: Error, CustomStringConvertible {
        case failed(path: String, operation: String, errno: Int32)

        public var description: String {
            switch self {
            case .failed(let path, let operation, let code):
                let reason = String(cString: strerror(code))
                let hint = code == ENOSPC || code == EDQUOT ? " (the disk is full; free space and run the command again)" : ""
                return "\(path): cannot \(operation): \(reason)\(hint); the file was left unchanged"
            }
        }
    }

    /// Writes `bytes` to `path`. A new file gets `newFileMode`; an existing one keeps its mode and,
    /// where the system allows it (as root, say), its owner and group. When `path` is a symbolic
    /// link, the file it points to is replaced and the link stays.
    public static func write(_ bytes: [UInt8], to givenPath: String, newFileMode: mode_t = 0o600) throws {
        let path = resolvingSymbolicLinks(givenPath)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var mode = newFileMode
        var existing = stat()
        let exists = stat(path, &existing) == 0
        if exists { mode = existing.st_mode & 0o7777 }

        removeStaleTemporaryFiles(of: path)
        let temporaryPath = folder + "/" + temporaryPrefix(of: url.lastPathComponent)
            + "\(hostName)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw WriteError.failed(path: path, operation: "create a temporary file in \(folder)", errno: errno) }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporaryPath) }
        }
        do {
            defer { close(descriptor) }
            // A PSE rewritten by root for an SAP system must stay readable by the SAP user: keep
            // owner and group (this fails harmlessly where it is not allowed).
            if exists && (existing.st_uid != geteuid() || existing.st_gid != getegid()) {
                _ = fchown(descriptor, existing.st_uid, existing.st_gid)
            }
            // open() applies the umask, and chown clears set-ID bits; set the mode exactly.
            fchmod(descriptor, mode)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress!, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WriteError.failed(path: path, operation: "write", errno: errno)
                }
                offset += written
            }
            if fsync(descriptor) != 0 { throw WriteError.failed(path: path, operation: "flush to disk", errno: errno) }
        }
        if rename(temporaryPath, path) != 0 { throw WriteError.failed(path: path, operation: "replace", errno: errno) }
        succeeded = true
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// The file a path names after following symbolic links (at most 32), so that writing through
    /// a link replaces the file it points to instead of the link. A path that is not a link, or a
    /// link that cannot be read, is returned as it is.
    public static func resolvingSymbolicLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK,
                  let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                return current
            }
            current = destination.hasPrefix("/") ? destination
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        return current
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

    private static func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(descriptor, buffer, count)
        #elseif canImport(Musl)
        return Musl.write(descriptor, buffer, count)
        #else
        return Darwin.write(descriptor, buffer, count)
        #endif
    }
}
