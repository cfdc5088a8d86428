#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PSE read from a file, with the PIN it was opened with, ready to be changed and written back.
public struct StoredPSE {
    public let path: String
    public var file: PSEFile
    /// The PIN that opened it (nil for a PSE without PIN). Never printed.
    public var pin: String?

    public init(path: String, file: PSEFile, pin: String?) {
        self.path = path
        self.file = file
        self.pin = pin
    }

    /// Reads the raw bytes of a file, with a clear error when it cannot: it must be a regular
    /// file (a FIFO or device is refused without blocking), not another user's symbolic link,
    /// and at most `limit` bytes (by default what a PSE may be when it is read, so that a PSE
    /// over the writer's limit can still be opened to shrink it or rescue its key).
    public static func readBytes(at path: String, limit: Int = PSEFile.maximumReadSize) throws -> [UInt8] {
        do {
            return try RegularFile.read(path, limit: limit)
        } catch let error as PSEStoreError where error.code.family == .fileAccess {
            switch error.code {
            case .fileMissing:
                throw PSEStoreError.pseUnreadable(path: path, reason: error.reason,
                                   hint: "Check the name; a name without a folder is looked up in $SECUDIR (now: \(PSELocation.secudir())).")
            case .fileTooLarge:
                throw PSEStoreError.pseUnreadable(path: path, reason: "\(error.reason); not a PSE")
            default:
                throw PSEStoreError.pseUnreadable(path: path, reason: error.reason)
            }
        }
    }

    /// How the file at `path` is stored (without a PIN).
    public static func layout(at path: String) throws -> PSEFile.Layout {
        let bytes = try readBytes(at: path)
        do { return try PSEFile.layout(of: bytes) } catch let error as PSEKitError where error.code.family == .pse { throw PSEStoreError.pseRejected(error, path: path) }
    }

    /// Opens the PSE at `path`; `pin` is asked for by `pinProvider` only when the file needs one.
    public static func open(at path: String, pinProvider: (PSEFile.Layout) throws -> String?) throws -> StoredPSE {
        let bytes = try readBytes(at: path)
        do {
            let layout = try PSEFile.layout(of: bytes)
            let pin = layout.isPINProtected ? try pinProvider(layout) : nil
            return StoredPSE(path: path, file: try PSEFile.decode(bytes, pin: pin), pin: pin)
        } catch let error as PSEKitError where error.code.family == .pse {
            throw PSEStoreError.pseRejected(error, path: path)
        }
    }

    /// Writes the PSE back atomically with `pin` (nil or empty: without PIN), always as a new
    /// file with mode 0600 owned by the running user. Refused when the encoding is larger than
    /// `PSEFile.maximumSize` (unless it shrinks an already larger PSE), and when the file is
    /// read-only unless `replacingReadOnly`.
    public func save(pin: String?, replacingReadOnly: Bool = false) throws {
        let bytes: [UInt8]
        do { bytes = try file.encoded(pin: pin) } catch let error as PSEKitError where error.code.family == .pse { throw PSEStoreError.pseRejected(error, path: path) }
        if bytes.count > PSEFile.maximumSize {
            var existing = stat()
            let existingSize = stat(path, &existing) == 0 ? Int(existing.st_size) : 0
            if bytes.count >= existingSize {
                throw PSEStoreError(code: .pseTooLarge, reason: Self.oversizeReason(bytes.count, file: file), path: path)
            }
        }
        try AtomicFile.write(bytes, to: path, newFileMode: 0o600, replacingReadOnly: replacingReadOnly)
    }

    /// Why a PSE of `size` bytes is not written, with how many trusted certificates would fit.
    static func oversizeReason(_ size: Int, file: PSEFile) -> String {
        let limit = PSEFile.maximumSize
        var reason = "the PSE would be \(size) bytes, over the \(limit) bytes (\(limit >> 20) MiB) limit of what psekit writes and reads; nothing was written"
        let trusted = (try? file.content.trustedCertificates()) ?? []
        if !trusted.isEmpty {
            let average = max(1, (size - 4096) / trusted.count)
            let fitting = max(0, trusted.count - (size - limit + average - 1) / average)
            reason += " (it would hold \(trusted.count) trusted certificates; about \(fitting) fit: remove some of them, or keep the others in a second PSE)"
        }
        return reason
    }

    /// Writes the PSE back with the PIN it was opened with.
    public func save() throws { try save(pin: pin) }

    /// Opens, changes and writes back a PSE while holding its lock, so that concurrent psekit
    /// processes do not lose each other's changes. Nothing is written when `change` throws or
    /// returns false.
    @discardableResult
    public static func update<Result>(at path: String, pinProvider: (PSEFile.Layout) throws -> String?,
                                      _ change: (inout StoredPSE) throws -> (changed: Bool, result: Result)) throws -> Result {
        try FileLock.withLock(for: path) {
            var stored = try open(at: path, pinProvider: pinProvider)
            let (changed, result) = try change(&stored)
            if changed { try stored.save() }
            return result
        }
    }

    /// Creates a new PSE file; refuses to overwrite unless `overwrite` (which also replaces a
    /// read-only file). A dangling symbolic link counts as existing: it is not followed to create
    /// its target; another user's link is refused.
    public static func create(_ file: PSEFile, at path: String, pin: String?, overwrite: Bool = true) throws {
        if !overwrite && exists(path) {
            throw PSEStoreError.pseExists(path: path)
        }
        try FileLock.withLock(for: path) {
            // Again under the lock: another process may have created it in between.
            if !overwrite && exists(path) {
                throw PSEStoreError.pseExists(path: path)
            }
            try StoredPSE(path: path, file: file, pin: pin).save(pin: pin, replacingReadOnly: overwrite)
        }
    }

    /// Whether something (a file, a folder, a link, even a dangling one) is at `path`; links are not followed.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }
}

/// A StoredPSE printed, logged or dumped never shows its PIN.
extension StoredPSE: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "StoredPSE(path: \(path), version: \(file.version), pin: \(pin == nil ? "none" : "<hidden>"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["path": path, "file": file, "pin": pin == nil ? "none" : "<hidden>"], displayStyle: .struct)
    }
}
