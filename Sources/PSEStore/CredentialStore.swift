import Foundation
import PSEKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `cred_v2` file in `$SECUDIR`, where `seclogin` keeps the PINs of PSEs per OS user.
///
/// Reads need no lock (writes replace the file atomically); every change takes `cred_v2.lock`, reads
/// the file, changes it and writes it back atomically with mode 0600.
public enum CredentialStore {
    public enum StoreError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case malformed(path: String, CredentialError)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "\(path): cannot read the credentials file: \(reason)"
            case .malformed(let path, let error): return "\(path): \(error)"
            }
        }
    }

    /// The file name SAP's tools use.
    public static let fileName = "cred_v2"

    /// `$SECUDIR/cred_v2` (the current folder when `SECUDIR` is unset).
    public static func path(environment: [String: String]? = nil) -> String {
        URL(fileURLWithPath: PSELocation.secudir(environment: environment)).appendingPathComponent(fileName).path
    }

    /// The name of the OS user running this process (what `seclogin` stores credentials for by default).
    public static var currentUser: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    }

    /// Reads the credentials file at `path`; a missing file is an empty list.
    public static func read(at path: String) throws -> CredentialsFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch CocoaError.fileReadNoSuchFile {
            return CredentialsFile()
        } catch {
            if !FileManager.default.fileExists(atPath: path) { return CredentialsFile() }
            throw StoreError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            return try CredentialsFile(derEncoded: Array(data))
        } catch let error as CredentialError {
            throw StoreError.malformed(path: path, error)
        }
    }

    /// Changes the credentials file at `path` under its lock and writes it back atomically (0600).
    /// When `body` throws, the file is left unchanged.
    @discardableResult
    public static func update<Result>(at path: String, _ body: (inout CredentialsFile) throws -> Result) throws -> Result {
        try FileLock.withLock(for: path) {
            var file = try read(at: path)
            let result = try body(&file)
            try AtomicFile.write(file.serializedBytes(), to: path, newFileMode: 0o600)
            // A file written by another tool with a wider mode is narrowed: it holds PINs.
            chmod(path, 0o600)
            return result
        }
    }

    /// The spellings under which a PSE's path may have been stored: as given, standardized, and with
    /// symbolic links resolved.
    public static func pathVariants(forPSEAt path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        var variants = [path]
        for candidate in [url.standardizedFileURL.path, url.resolvingSymlinksInPath().path] where !variants.contains(candidate) {
            variants.append(candidate)
        }
        return variants
    }

    /// The PIN `seclogin` stored for the PSE at `path` and `user` in `$SECUDIR/cred_v2`, or nil when
    /// there is none (or no credentials file).
    public static func pin(forPSEAt path: String, user: String,
                           environment: [String: String]? = nil) throws -> String? {
        try secret(forPSEAt: path, user: user, in: read(at: self.path(environment: environment)))?.pin
    }

    /// The PIN stored for the PSE at `path` and `user` in `file`, trying every spelling of the path.
    public static func secret(forPSEAt path: String, user: String, in file: CredentialsFile) throws -> CredentialSecret? {
        for variant in pathVariants(forPSEAt: path) {
            if let secret = try file.secret(forPSEAt: variant, user: user) { return secret }
        }
        return nil
    }
}
