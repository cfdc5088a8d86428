import CSystemZlib
import PSEKit
import X509

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
            throw PSEStoreError.archiveTooLarge(size: bytes.count, limit: CertificateBundle.maximumInputSize)
        }
        // The layout is read and checked first (positions inside the archive, no ZIP64), then
        // each entry is unpacked from exactly its own bytes.
        let directory: ZipDirectory
        do {
            directory = try ZipDirectory(bytes)
        } catch {
            throw PSEStoreError.notAnArchive(reason: ErrorText.of(error))
        }
        guard directory.records.count <= maximumEntryCount else {
            throw PSEStoreError.tooManyArchiveEntries(limit: maximumEntryCount)
        }
        var entries: [Entry] = []
        var certificateCount = 0
        var totalSize = 0
        for record in directory.records {
            guard record.isFile, !isMetadata(record.path) else { continue }
            guard record.uncompressedSize <= maximumEntrySize else {
                throw PSEStoreError.archiveEntryTooLarge(path: record.path, limit: maximumEntrySize)
            }
            totalSize += Int(record.uncompressedSize)
            guard totalSize <= maximumTotalSize else {
                throw PSEStoreError.archiveContentTooLarge(limit: maximumTotalSize)
            }
            let content = try extract(record, of: bytes, path: record.path)
            let certificates: [Certificate]
            do {
                certificates = try CertificateBundle.parse(content)
            } catch {
                throw PSEStoreError.invalidArchiveEntry(path: record.path, reason: ErrorText.of(error))
            }
            certificateCount += certificates.count
            guard certificateCount <= CertificateBundle.maximumCertificateCount else {
                throw PSEStoreError.tooManyArchiveCertificates(limit: CertificateBundle.maximumCertificateCount)
            }
            entries.append(Entry(path: record.path, certificates: certificates))
        }
        guard !entries.isEmpty else { throw PSEStoreError.noCertificatesInArchive }
        return entries
    }

    /// All certificates of the archive, entry after entry.
    public static func certificates(inZip bytes: [UInt8]) throws -> [Certificate] {
        try entries(inZip: bytes).flatMap(\.certificates)
    }

    /// The entry's content, from exactly its own bytes: stored entries are sliced, deflated ones
    /// inflated with zlib (raw deflate) from a buffer that ends with the entry's data, so a stream
    /// that does not end there is an error, not a read past it. The size and CRC-32 the central
    /// directory gives must match what comes out.
    static func extract(_ record: ZipDirectory.Record, of bytes: [UInt8], path: String) throws -> [UInt8] {
        guard !record.isEncrypted else {
            throw PSEStoreError.unreadableArchiveEntry(path: path, reason: "the entry is encrypted; unpack it with its password first")
        }
        let content: [UInt8]
        switch record.method {
        case 0:
            content = Array(bytes[record.data])
        case 8:
            guard record.compressedSize > 0 else {
                throw PSEStoreError.unreadableArchiveEntry(path: path, reason: "its deflate stream is empty")
            }
            content = try inflate(bytes[record.data], path: path)
        default:
            throw PSEStoreError.unreadableArchiveEntry(
                path: path, reason: "compression method \(record.method) is not supported (only stored and deflate)")
        }
        let checksum = content.withUnsafeBufferPointer { buffer in
            UInt32(truncatingIfNeeded: crc32(0, buffer.baseAddress, UInt32(buffer.count)))
        }
        guard content.count == record.uncompressedSize, checksum == record.crc32 else {
            throw PSEStoreError.unreadableArchiveEntry(
                path: path, reason: "its content does not match the size and CRC-32 its directory gives (a damaged archive)")
        }
        return content
    }

    /// A raw deflate stream (RFC 1951) that must end within `data`, inflated in 64 KiB steps and
    /// refused as soon as it passes `maximumEntrySize` (the size in the header may lie).
    static func inflate(_ data: ArraySlice<UInt8>, path: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw PSEStoreError.unreadableArchiveEntry(path: path, reason: "zlib could not start inflating (out of memory)")
        }
        defer { inflateEnd(&stream) }
        var content = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        return try data.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { output in
                    stream.next_out = output.baseAddress
                    stream.avail_out = UInt32(output.count)
                    let status = CSystemZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, output.count - Int(stream.avail_out))
                }
                guard content.count + produced <= maximumEntrySize else {
                    throw PSEStoreError.archiveEntryTooLarge(path: path, limit: maximumEntrySize)
                }
                content.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    return content
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw PSEStoreError.unreadableArchiveEntry(
                        path: path, reason: "its deflate stream does not end within its \(data.count) bytes")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw PSEStoreError.unreadableArchiveEntry(path: path, reason: "its deflate stream is corrupt (\(message))")
                }
            }
        }
    }

    static func isMetadata(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return path.hasPrefix("__MACOSX/") || name.hasPrefix("._") || name == ".DS_Store"
    }
}
