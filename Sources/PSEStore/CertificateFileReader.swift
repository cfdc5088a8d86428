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
        try certificates(in: bytes, fileName: fileName, keepingWeak: false).certificates
    }

    /// The certificates in the file at `path` (read whole; refused when larger than 16 MiB, and
    /// when it is not a regular file: a FIFO or device is refused without blocking).
    public static func certificates(atPath path: String) throws -> [Certificate] {
        try certificates(in: read(path), fileName: path, keepingWeak: false).certificates
    }

    /// The certificates in the file at `path` and, apart from them as DER, those with an RSA key
    /// under 2048 bits (``CertificateBundle/parseKeepingWeak(_:)``); a zip archive's entries are
    /// read as ``certificates(atPath:)`` reads them.
    public static func certificatesKeepingWeak(atPath path: String) throws -> (certificates: [Certificate], weak: [[UInt8]]) {
        try certificates(in: read(path), fileName: path, keepingWeak: true)
    }

    /// ``certificatesKeepingWeak(atPath:)`` for bytes read already.
    public static func certificatesKeepingWeak(in bytes: [UInt8], fileName: String) throws -> (certificates: [Certificate], weak: [[UInt8]]) {
        try certificates(in: bytes, fileName: fileName, keepingWeak: true)
    }

    static func certificates(in bytes: [UInt8], fileName: String, keepingWeak: Bool) throws -> (certificates: [Certificate], weak: [[UInt8]]) {
        do {
            if CertificateArchive.isZipArchive(bytes) {
                return (try CertificateArchive.certificates(inZip: bytes), [])
            }
            return keepingWeak ? try CertificateBundle.parseKeepingWeak(bytes) : (try CertificateBundle.parse(bytes), [])
        } catch {
            throw PSEStoreError.certificateFileUnreadable(fileName: fileName, reason: ErrorText.of(error))
        }
    }

    static func read(_ path: String) throws -> [UInt8] {
        do {
            return try RegularFile.read(path, limit: CertificateBundle.maximumInputSize)
        } catch let error as PSEStoreError where error.code.family == .fileAccess {
            throw PSEStoreError.certificateFileUnreadable(fileName: path, reason: error.reason)
        }
    }
}
