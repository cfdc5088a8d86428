import Foundation
import PSEKit

/// Errors about a PSE file, each naming the file and saying how to fix it.
public struct PSEFileError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var hint: String?
    /// The underlying PSE error, when there is one (for example `.wrongPIN`).
    public var pseError: PSEError?

    public init(path: String, reason: String, hint: String? = nil, pseError: PSEError? = nil) {
        self.path = path
        self.reason = reason
        self.hint = hint
        self.pseError = pseError
    }

    public var description: String {
        "\(path): \(reason)" + (hint.map { "\n\($0)" } ?? "")
    }

    static func from(_ error: PSEError, path: String) -> PSEFileError {
        switch error {
        case .wrongPIN:
            return PSEFileError(path: path, reason: "wrong PIN; the file was not changed",
                                hint: "Give the PSE's PIN with -x, --pin-env or --pin-file (a stored credential may be out of date: psekit seclogin -d -p PSE).",
                                pseError: error)
        case .pinRequired:
            return PSEFileError(path: path, reason: "the PSE is protected by a PIN and none was given",
                                hint: "Give it with -x PIN, --pin-env VAR or --pin-file FILE, or store it with psekit seclogin -p PSE.",
                                pseError: error)
        default:
            return PSEFileError(path: path, reason: error.description, pseError: error)
        }
    }
}

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

    /// Reads the raw bytes of a file, with a clear error when it cannot.
    public static func readBytes(at path: String, limit: Int = PSEFile.maximumSize) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PSEFileError(path: path, reason: "no such file",
                               hint: "Check the name; a name without a folder is looked up in $SECUDIR (now: \(PSELocation.secudir())).")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PSEFileError(path: path, reason: "cannot be read (permission denied?)")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit else { throw PSEFileError(path: path, reason: "larger than \(limit >> 20) MiB, not a PSE") }
        return Array(data)
    }

    /// How the file at `path` is stored (without a PIN).
    public static func layout(at path: String) throws -> PSEFile.Layout {
        let bytes = try readBytes(at: path)
        do { return try PSEFile.layout(of: bytes) } catch let error as PSEError { throw PSEFileError.from(error, path: path) }
    }

    /// Opens the PSE at `path`; `pin` is asked for by `pinProvider` only when the file needs one.
    public static func open(at path: String, pinProvider: (PSEFile.Layout) throws -> String?) throws -> StoredPSE {
        let bytes = try readBytes(at: path)
        do {
            let layout = try PSEFile.layout(of: bytes)
            let pin = layout.isPINProtected ? try pinProvider(layout) : nil
            return StoredPSE(path: path, file: try PSEFile.decode(bytes, pin: pin), pin: pin)
        } catch let error as PSEError {
            throw PSEFileError.from(error, path: path)
        }
    }

    /// Writes the PSE back atomically with `pin` (nil or empty: without PIN). A new file is created 0600.
    public func save(pin: String?) throws {
        let bytes: [UInt8]
        do { bytes = try file.encoded(pin: pin) } catch let error as PSEError { throw PSEFileError.from(error, path: path) }
        try AtomicFile.write(bytes, to: path, newFileMode: 0o600)
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

    /// Creates a new PSE file; refuses to overwrite unless `overwrite`.
    public static func create(_ file: PSEFile, at path: String, pin: String?, overwrite: Bool = true) throws {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw PSEFileError(path: path, reason: "already exists", hint: "Remove it first or choose another name.")
        }
        try FileLock.withLock(for: path) {
            try StoredPSE(path: path, file: file, pin: pin).save()
        }
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
