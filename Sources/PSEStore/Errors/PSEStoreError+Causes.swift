#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PSEKit

/// The errors PSEStore throws, one factory per cause, each with the reason it gives. Package-only:
/// code outside the package matches on ``PSEStoreError/code`` and reads ``PSEStoreError/reason``.
extension PSEStoreError {
    // MARK: Opening or reading a file

    /// The file or folder at `path` cannot be opened or read: `code` says why, `reason` in words.
    package static func access(path: String, code: Code, reason: String) -> PSEStoreError {
        PSEStoreError(code: code, reason: reason, path: path)
    }

    // MARK: Writing a file

    /// The `operation` on `path` failed with `errno`; a full disk says so.
    package static func writeFailed(path: String, operation: String, errno code: Int32) -> PSEStoreError {
        let text = String(cString: strerror(code))
        let full = code == ENOSPC || code == EDQUOT ? " (the disk is full; free space and run the command again)" : ""
        return PSEStoreError(
            code: .writeFailed, reason: "cannot \(operation): \(text)\(full); the file was left unchanged", path: path)
    }

    /// The file at `path` is read-only (its mode is `mode`).
    package static func readOnly(path: String, mode: mode_t) -> PSEStoreError {
        PSEStoreError(
            code: .readOnly,
            reason: "is read-only (mode \(String(mode, radix: 8))); psekit does not replace a read-only file silently; "
                + "nothing was written",
            path: path)
    }

    // MARK: PSE files

    /// The PSE at `path` was refused by PSEKit with `error`.
    package static func pseRejected(_ error: PSEKitError, path: String) -> PSEStoreError {
        let reason: String
        switch error.code {
        case .wrongPIN: reason = "wrong PIN; the file was not changed"
        case .pinRequired: reason = "the PSE is protected by a PIN and none was given"
        default: reason = error.reason
        }
        return PSEStoreError(code: .pseRejected, reason: reason, path: path, underlying: error)
    }

    /// The PSE file at `path` cannot be read: `reason` says why.
    package static func pseUnreadable(path: String, reason: String, hint: String? = nil) -> PSEStoreError {
        PSEStoreError(code: .pseUnreadable, reason: reason, path: path, hint: hint)
    }

    /// A PSE is to be created at `path`, where a file already exists.
    package static func pseExists(path: String) -> PSEStoreError {
        PSEStoreError(code: .pseExists, reason: "already exists", path: path, hint: "Remove it first or choose another name.")
    }

    // MARK: Credentials files

    /// The credentials file at `path` cannot be read, or is not private: `reason` says why.
    package static func credentialsUnreadable(path: String, reason: String) -> PSEStoreError {
        PSEStoreError(code: .credentialsUnreadable, reason: "cannot read the credentials file: \(reason)", path: path)
    }

    /// The credentials file at `path` is not valid: `error` says why.
    package static func credentialsMalformed(path: String, _ error: PSEKitError) -> PSEStoreError {
        PSEStoreError(code: .credentialsMalformed, reason: error.reason, path: path, underlying: error)
    }

    // MARK: PINs and passwords

    /// Standard input ended before the answer to `prompt`.
    package static func noInput(prompt: String) -> PSEStoreError {
        PSEStoreError(
            code: .noInput,
            reason: "no input for '\(prompt.trimmingWhitespace())' (standard input is empty); pass it as an option instead")
    }

    /// The file at `path` a secret is to be read from cannot be read: `reason` says why.
    package static func secretUnreadable(path: String, reason: String) -> PSEStoreError {
        PSEStoreError(code: .secretUnreadable, reason: reason, path: path)
    }

    // MARK: Certificate files

    /// The certificate file `fileName` cannot be read: `reason` says why.
    package static func certificateFileUnreadable(fileName: String, reason: String) -> PSEStoreError {
        PSEStoreError(code: .certificateFileUnreadable, reason: reason, path: fileName)
    }

    /// No system CA bundle at any of `searched`.
    package static func noSystemTrustStore(searched: [String]) -> PSEStoreError {
        PSEStoreError(
            code: .noSystemTrustStore,
            reason: "no system CA bundle found (looked in \(searched.joined(separator: ", ")))")
    }

    // MARK: Zip archives

    /// Not a readable zip archive: `reason` says why.
    package static func notAnArchive(reason: String) -> PSEStoreError {
        PSEStoreError(code: .notAnArchive, reason: "not a readable zip archive: \(reason)")
    }

    /// The layout of a zip archive is refused: `reason` says why (wrapped by ``notAnArchive(reason:)``).
    package static func zipLayout(_ reason: String) -> PSEStoreError {
        PSEStoreError(code: .notAnArchive, reason: reason)
    }

    /// A zip archive of `size` bytes, more than `limit`.
    package static func archiveTooLarge(size: Int, limit: Int) -> PSEStoreError {
        PSEStoreError(code: .archiveTooLarge, reason: "zip archive of \(size) bytes is larger than the \(limit) bytes allowed")
    }

    /// More than `limit` entries.
    package static func tooManyArchiveEntries(limit: Int) -> PSEStoreError {
        PSEStoreError(code: .tooManyArchiveEntries, reason: "zip archive has more than \(limit) entries")
    }

    /// The entry `path` unpacks to more than `limit` bytes.
    package static func archiveEntryTooLarge(path: String, limit: Int) -> PSEStoreError {
        PSEStoreError(code: .archiveEntryTooLarge, reason: "zip entry \(path) unpacks to more than \(limit) bytes")
    }

    /// The entry `path` cannot be unpacked: `reason` says why.
    package static func unreadableArchiveEntry(path: String, reason: String) -> PSEStoreError {
        PSEStoreError(code: .unreadableArchiveEntry, reason: "zip entry \(path) cannot be unpacked: \(reason)")
    }

    /// The entry `path` is not certificates: `reason` says why.
    package static func invalidArchiveEntry(path: String, reason: String) -> PSEStoreError {
        PSEStoreError(code: .invalidArchiveEntry, reason: "zip entry \(path): \(reason)")
    }

    /// More than `limit` certificates.
    package static func tooManyArchiveCertificates(limit: Int) -> PSEStoreError {
        PSEStoreError(code: .tooManyArchiveCertificates, reason: "zip archive holds more than \(limit) certificates")
    }

    /// More than `limit` bytes unpacked in all.
    package static func archiveContentTooLarge(limit: Int) -> PSEStoreError {
        PSEStoreError(
            code: .archiveContentTooLarge,
            reason: "zip archive unpacks to more than \(limit) bytes in all (the most a certificate file may hold)")
    }

    /// No files with certificates.
    package static let noCertificatesInArchive = PSEStoreError(
        code: .noCertificatesInArchive, reason: "zip archive holds no files with certificates")
}
