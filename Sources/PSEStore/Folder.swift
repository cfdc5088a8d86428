#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Folders psekit creates for the files it writes, and reads.
public enum Folder {
    /// Whether `path` is a folder or a symbolic link to one (`FileManager.fileExists(atPath:isDirectory:)`,
    /// whose flag is an `ObjCBool` with Foundation and a `Bool` with FoundationEssentials).
    package static func isFolder(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// The paths of the regular files in `path` and its subfolders, recursively, as `path/NAME`,
    /// in no particular order; nil when `path` itself cannot be read. Symbolic links are neither
    /// listed nor followed; subfolders that cannot be read are skipped (as `FileManager`'s
    /// enumerator does, which FoundationEssentials lacks).
    package static func regularFiles(under path: String) -> [String]? {
        guard let folder = opendir(path) else { return nil }
        var files: [String] = []
        var subfolders: [String] = []
        let prefix = path.hasSuffix("/") ? path : path + "/"
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let child = prefix + name
            var status = stat()
            guard lstat(child, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFREG: files.append(child)
            case S_IFDIR: subfolders.append(child)
            default: break
            }
        }
        closedir(folder)
        for subfolder in subfolders {
            files += regularFiles(under: subfolder) ?? []
        }
        return files
    }

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
                throw PSEStoreError.access(path: folder, code: code == EACCES ? .permissionDenied : .fileInaccessible,
                                           reason: "cannot create the folder: \(String(cString: strerror(code)))")
            }
            if chmod(folder, mode) != 0 {
                let code = errno
                throw PSEStoreError.access(path: folder, code: .fileInaccessible,
                                           reason: "cannot set the folder's mode: \(String(cString: strerror(code)))")
            }
        }
    }
}
