import Foundation
import PSEKit
import X509
import ZIPFoundation

/// Certificates in a zip archive (as CAs and SAP ship root certificate collections): every file
/// entry is read as a certificate bundle (PEM, DER, Base64 or PKCS#7), in memory. Directories and
/// macOS metadata (`__MACOSX/`, `._*`, `.DS_Store`) are skipped.
public enum CertificateArchive {
    /// No entry may unpack to more than 1 MiB.
    public static let maximumEntrySize = 1 << 20
    /// No archive may hold more than 1000 entries.
    public static let maximumEntryCount = 1000

    /// The certificates of one archive entry.
    public struct Entry: Sendable {
        public var path: String
        public var certificates: [Certificate]
    }

    /// `PK\x03\x04`, the signature every zip archive starts with.
    public static func isZipArchive(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// Every entry that holds certificates, in archive order.
    public static func entries(inZip bytes: [UInt8]) throws -> [Entry] {
        guard bytes.count <= CertificateBundle.maximumInputSize else {
            throw CertificateArchiveError.archiveTooLarge(size: bytes.count, limit: CertificateBundle.maximumInputSize)
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw CertificateArchiveError.notAnArchive(reason: String(describing: error))
        }
        var entries: [Entry] = []
        var entryCount = 0
        var certificateCount = 0
        for entry in archive {
            entryCount += 1
            guard entryCount <= maximumEntryCount else {
                throw CertificateArchiveError.tooManyEntries(limit: maximumEntryCount)
            }
            guard entry.type == .file, !isMetadata(entry.path) else { continue }
            guard entry.uncompressedSize <= UInt64(maximumEntrySize) else {
                throw CertificateArchiveError.entryTooLarge(path: entry.path, limit: maximumEntrySize)
            }
            var content = [UInt8]()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    // The size in the header may lie; count what really comes out.
                    guard content.count + chunk.count <= maximumEntrySize else {
                        throw CertificateArchiveError.entryTooLarge(path: entry.path, limit: maximumEntrySize)
                    }
                    content.append(contentsOf: chunk)
                }
            } catch let error as CertificateArchiveError {
                throw error
            } catch {
                throw CertificateArchiveError.unreadableEntry(path: entry.path, reason: String(describing: error))
            }
            let certificates: [Certificate]
            do {
                certificates = try CertificateBundle.parse(content)
            } catch {
                throw CertificateArchiveError.invalidEntry(path: entry.path, reason: String(describing: error))
            }
            certificateCount += certificates.count
            guard certificateCount <= CertificateBundle.maximumCertificateCount else {
                throw CertificateArchiveError.tooManyCertificates(limit: CertificateBundle.maximumCertificateCount)
            }
            entries.append(Entry(path: entry.path, certificates: certificates))
        }
        guard !entries.isEmpty else { throw CertificateArchiveError.noCertificates }
        return entries
    }

    /// All certificates of the archive, entry after entry.
    public static func certificates(inZip bytes: [UInt8]) throws -> [Certificate] {
        try entries(inZip: bytes).flatMap(\.certificates)
    }

    static func isMetadata(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return path.hasPrefix("__MACOSX/") || name.hasPrefix("._") || name == ".DS_Store"
    }
}

/// Why a zip archive did not give certificates.
public enum CertificateArchiveError: Error, CustomStringConvertible, Equatable, Sendable {
    case notAnArchive(reason: String)
    case archiveTooLarge(size: Int, limit: Int)
    case tooManyEntries(limit: Int)
    case entryTooLarge(path: String, limit: Int)
    case unreadableEntry(path: String, reason: String)
    case invalidEntry(path: String, reason: String)
    case tooManyCertificates(limit: Int)
    case noCertificates

    public var description: String {
        switch self {
        case .notAnArchive(let reason):
            return "not a readable zip archive: \(reason)"
        case .archiveTooLarge(let size, let limit):
            return "zip archive of \(size) bytes is larger than the \(limit) bytes allowed"
        case .tooManyEntries(let limit):
            return "zip archive has more than \(limit) entries"
        case .entryTooLarge(let path, let limit):
            return "zip entry \(path) unpacks to more than \(limit) bytes"
        case .unreadableEntry(let path, let reason):
            return "zip entry \(path) cannot be unpacked: \(reason)"
        case .invalidEntry(let path, let reason):
            return "zip entry \(path): \(reason)"
        case .tooManyCertificates(let limit):
            return "zip archive holds more than \(limit) certificates"
        case .noCertificates:
            return "zip archive holds no files with certificates"
        }
    }
}
