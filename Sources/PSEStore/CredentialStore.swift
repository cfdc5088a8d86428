#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        return ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
    }

    /// The largest credentials file read (real ones hold a few entries of under a kilobyte each).
    public static let maximumSize = 1 << 20

    /// Reads the credentials file at `path`; a missing file is an empty list. What is not a
    /// regular file, another user's symbolic link or a file over `maximumSize` is refused.
    public static func read(at path: String) throws -> CredentialsFile {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: maximumSize)
        } catch let error as PSEStoreError where error.code.family == .fileAccess {
            if error.code == .fileMissing { return CredentialsFile() }
            throw PSEStoreError.credentialsUnreadable(path: path, reason: error.reason)
        }
        do {
            return try CredentialsFile(derEncoded: bytes)
        } catch let error as PSEKitError where error.code.family == .credential {
            throw PSEStoreError.credentialsMalformed(path: path, error)
        }
    }

    /// Refuses to store PINs in a credentials file that another user can change: one owned by
    /// another user, or writable by group or others (the file is replaced, but whoever can write
    /// it can also read or plant what it holds).
    public static func checkPrivate(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        let mode = status.st_mode & 0o7777
        if status.st_uid != geteuid() {
            throw PSEStoreError.credentialsUnreadable(path: path, reason: "belongs to \(RegularFile.userName(status.st_uid)), not to the user running psekit (\(RegularFile.userName(geteuid()))); psekit does not store PINs in a file another user controls; nothing was changed; remove it or run as its owner")
        }
        if mode & 0o022 != 0 {
            throw PSEStoreError.credentialsUnreadable(path: path, reason: "other users can write into it (mode \(String(mode, radix: 8))); psekit does not store PINs in such a file; nothing was changed; make it private with chmod 600 \(path)")
        }
    }

    /// Changes the credentials file at `path` under its lock and writes it back atomically, as a
    /// new file with mode 0600 owned by the running user. When `body` throws, the file is left
    /// unchanged. A file other users can write into is refused (see `checkPrivate`).
    @discardableResult
    public static func update<Result>(at path: String, _ body: (inout CredentialsFile) throws -> Result) throws -> Result {
        try RegularFile.refuseForeignSymbolicLink(path)
        try checkPrivate(AtomicFile.resolvingOwnSymbolicLinks(path))
        return try FileLock.withLock(for: path) {
            try checkPrivate(AtomicFile.resolvingOwnSymbolicLinks(path))
            var file = try read(at: path)
            let result = try body(&file)
            try AtomicFile.write(file.serializedBytes(), to: path, newFileMode: 0o600, replacingReadOnly: true)
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
