#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import X509

/// Reads certificates from a file of any form a user is likely to have: PEM (one or many),
/// DER, Base64 `.cer`, PKCS#7 `.p7b`, or a zip archive of those.
public enum CertificateFileReader {
    /// The certificates in `bytes`; a zip archive is recognised by its `PK\x03\x04` signature,
    /// anything else is read as a certificate bundle. Errors name `fileName`.
    public static func certificates(in bytes: [UInt8], fileName: String) throws -> [Certificate] {
        do {
            if CertificateArchive.isZipArchive(bytes) {
                return try CertificateArchive.certificates(inZip: bytes)
            }
            return try CertificateBundle.parse(bytes)
        } catch {
            throw CertificateFileError(fileName: fileName, reason: String(describing: error))
        }
    }

    /// The certificates in the file at `path` (read whole; refused when larger than 16 MiB, and
    /// when it is not a regular file: a FIFO or device is refused without blocking).
    public static func certificates(atPath path: String) throws -> [Certificate] {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: CertificateBundle.maximumInputSize)
        } catch let error as RegularFile.AccessError {
            throw CertificateFileError(fileName: path, reason: error.reason)
        }
        return try certificates(in: bytes, fileName: path)
    }
}

/// A certificate file that could not be read, with the file's name and the reason.
public struct CertificateFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public var fileName: String
    public var reason: String

    public init(fileName: String, reason: String) {
        self.fileName = fileName
        self.reason = reason
    }

    public var description: String { "\(fileName): \(reason)" }
}
