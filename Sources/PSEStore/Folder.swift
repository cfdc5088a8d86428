#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Folders psekit creates for the files it writes.
public enum Folder {
    /// Creates `path` and its missing parents with `mode` exactly, whatever the umask (under
    /// umask 000 a plain `mkdir -p` would make them world-writable). An existing folder is left
    /// as it is.
    public static func create(_ path: String, mode: mode_t = 0o755) throws {
        var missing: [String] = []
        var current = path
        while current.count > 1 && current.hasSuffix("/") { current.removeLast() }
        var status = stat()
        while !current.isEmpty && current != "/" && current != "." && lstat(current, &status) != 0 {
            missing.insert(current, at: 0)
            guard let slash = current.lastIndex(of: "/") else { break }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
        for folder in missing {
            if mkdir(folder, 0o700) != 0 && errno != EEXIST {
                let code = errno
                throw RegularFile.AccessError(path: folder, kind: code == EACCES ? .permissionDenied : .other,
                                              reason: "cannot create the folder: \(String(cString: strerror(code)))")
            }
            if chmod(folder, mode) != 0 {
                let code = errno
                throw RegularFile.AccessError(path: folder, kind: .other,
                                              reason: "cannot set the folder's mode: \(String(cString: strerror(code)))")
            }
        }
    }
}
