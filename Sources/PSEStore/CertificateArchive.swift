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
    /// All entries together may unpack to no more than a certificate file may be (16 MiB), so
    /// that reading an archive costs what reading its content as one file would.
    public static let maximumTotalSize = CertificateBundle.maximumInputSize

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
        // ZIPFoundation trusts the positions in the archive; check them first (ZipDirectory).
        let directory: ZipDirectory
        let archive: Archive
        do {
            directory = try ZipDirectory(bytes)
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw CertificateArchiveError.notAnArchive(reason: String(describing: error))
        }
        guard directory.records.count <= maximumEntryCount else {
            throw CertificateArchiveError.tooManyEntries(limit: maximumEntryCount)
        }
        var entries: [Entry] = []
        var entryCount = 0
        var certificateCount = 0
        var totalSize = 0
        for entry in archive {
            entryCount += 1
            guard entryCount <= directory.records.count else {
                throw CertificateArchiveError.notAnArchive(reason: "more entries than its central directory lists")
            }
            let record = directory.records[entryCount - 1]
            guard entry.type == .file, !isMetadata(entry.path) else { continue }
            guard record.uncompressedSize <= maximumEntrySize else {
                throw CertificateArchiveError.entryTooLarge(path: entry.path, limit: maximumEntrySize)
            }
            totalSize += Int(record.uncompressedSize)
            guard totalSize <= maximumTotalSize else {
                throw CertificateArchiveError.contentTooLarge(limit: maximumTotalSize)
            }
            let content = try extract(record, of: bytes, path: entry.path)
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

    /// The entry's content, from exactly its own bytes: stored entries are sliced, deflated ones
    /// inflated with ZIPFoundation's zlib stream from a provider that ends with the entry's data
    /// (ZIPFoundation's own reader would go on past it, and spin for ever at the end of the
    /// archive). The size and CRC-32 the central directory gives must match what comes out.
    static func extract(_ record: ZipDirectory.Record, of bytes: [UInt8], path: String) throws -> [UInt8] {
        guard !record.isEncrypted else {
            throw CertificateArchiveError.unreadableEntry(path: path, reason: "the entry is encrypted; unpack it with its password first")
        }
        var content = [UInt8]()
        let checksum: CRC32
        switch record.method {
        case 0:
            content = Array(bytes[record.data])
            checksum = Data(content).crc32(checksum: 0)
        case 8:
            guard record.compressedSize > 0 else {
                throw CertificateArchiveError.unreadableEntry(path: path, reason: "its deflate stream is empty")
            }
            // ZIPFoundation hands zlib `bufferSize` bytes whatever a chunk holds, so the one chunk
            // is exactly the entry's data; asking for more means the stream did not end in it.
            // The output buffer has the same size: at most ~1032 rounds (deflate's largest ratio).
            var delivered = false
            do {
                checksum = try Data.decompress(size: Int64(record.compressedSize), bufferSize: record.compressedSize,
                                               skipCRC32: false, provider: { _, _ in
                    guard !delivered else {
                        throw CertificateArchiveError.unreadableEntry(
                            path: path, reason: "its deflate stream does not end within its \(record.compressedSize) bytes")
                    }
                    delivered = true
                    return Data(bytes[record.data])
                }, consumer: { chunk in
                    // The size in the header may lie; count what really comes out.
                    guard content.count + chunk.count <= maximumEntrySize else {
                        throw CertificateArchiveError.entryTooLarge(path: path, limit: maximumEntrySize)
                    }
                    content.append(contentsOf: chunk)
                })
            } catch let error as CertificateArchiveError {
                throw error
            } catch {
                throw CertificateArchiveError.unreadableEntry(path: path, reason: "its deflate stream is corrupt (\(error))")
            }
        default:
            throw CertificateArchiveError.unreadableEntry(
                path: path, reason: "compression method \(record.method) is not supported (only stored and deflate)")
        }
        guard content.count == record.uncompressedSize, checksum == record.crc32 else {
            throw CertificateArchiveError.unreadableEntry(
                path: path, reason: "its content does not match the size and CRC-32 its directory gives (a damaged archive)")
        }
        return content
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
    case contentTooLarge(limit: Int)
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
        case .contentTooLarge(let limit):
            return "zip archive unpacks to more than \(limit) bytes in all (the most a certificate file may hold)"
        case .noCertificates:
            return "zip archive holds no files with certificates"
        }
    }
}
