/// Where each entry of an in-memory zip archive lies, read from its central directory and checked
/// against the archive's size before any byte is handed to ZIPFoundation.
///
/// ZIPFoundation 0.9.20 trusts these positions: an archive whose central directory or local header
/// points past its end traps in its in-memory reader, and a deflate stream that does not end
/// before the archive does makes its inflate loop spin for ever (docs/robustness.md). So
/// `CertificateArchive` reads the layout here first, refuses what does not fit, and inflates each
/// entry from exactly its own bytes.
///
/// The records read (APPNOTE.TXT 6.3, little-endian):
/// ```
/// end of central directory   sig 0x06054b50, disk u16, cd disk u16, entries here u16,
///                            entries u16 (+10), cd size u32 (+12), cd offset u32 (+16),
///                            comment length u16 (+20), comment
/// central directory header   sig 0x02014b50, made by u16, needed u16, flags u16 (+8),
///                            method u16 (+10), time u16, date u16, crc-32 u32 (+16),
///                            compressed u32 (+20), uncompressed u32 (+24), name length u16 (+28),
///                            extra length u16 (+30), comment length u16 (+32), disk u16,
///                            internal u16, external u32, local header offset u32 (+42), name
/// local file header          sig 0x04034b50, needed u16, flags u16, method u16, time u16,
///                            date u16, crc-32 u32, compressed u32, uncompressed u32,
///                            name length u16 (+26), extra length u16 (+28), name, extra, data
/// data descriptor            (flag bit 3) [sig 0x08074b50], crc-32 u32, compressed u32,
///                            uncompressed u32, after the data
/// ```
/// ZIP64 archives, split archives and encrypted entries are refused: certificate collections
/// never need them.
struct ZipDirectory {
    /// One central directory record.
    struct Record: Equatable {
        /// The compression method (0 stored, 8 deflate).
        var method: UInt16
        /// The general purpose flags; bit 0 means encrypted.
        var flags: UInt16
        var crc32: UInt32
        var uncompressedSize: Int
        /// The range of the entry's (compressed) data within the archive.
        var data: Range<Int>

        var compressedSize: Int { data.count }

        var isEncrypted: Bool { flags & 0x0001 != 0 }
    }

    /// The records in central directory order (the order ZIPFoundation iterates in).
    var records: [Record]

    /// Reads and checks the layout; the error says what does not fit.
    init(_ bytes: [UInt8]) throws {
        func uint16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        func uint32(_ offset: Int) -> Int { uint16(offset) | uint16(offset + 2) << 16 }
        func signature(_ offset: Int, _ value: Int) -> Bool { offset + 4 <= bytes.count && uint32(offset) == value }

        // The end record is searched from the end, over at most a maximal comment, as readers do.
        guard bytes.count >= 22 else { throw ZipDirectoryError("too short for a zip archive") }
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while end >= lowest && !signature(end, 0x0605_4b50) { end -= 1 }
        guard end >= lowest else { throw ZipDirectoryError("no end of central directory record") }
        if end >= 20 && signature(end - 20, 0x0706_4b50) { throw ZipDirectoryError("ZIP64 archives are not supported") }
        guard uint16(end + 4) == 0, uint16(end + 6) == 0, uint16(end + 8) == uint16(end + 10) else {
            throw ZipDirectoryError("split (multi-disk) archives are not supported")
        }
        let count = uint16(end + 10)
        var position = uint32(end + 16)
        guard position <= end else { throw ZipDirectoryError("the central directory starts past its end record") }

        var records: [Record] = []
        records.reserveCapacity(count)
        for index in 0..<count {
            guard position + 46 <= end, signature(position, 0x0201_4b50) else {
                throw ZipDirectoryError("central directory record \(index + 1) of \(count) is missing or truncated")
            }
            let nameLength = uint16(position + 28)
            let recordEnd = position + 46 + nameLength + uint16(position + 30) + uint16(position + 32)
            guard recordEnd <= end else {
                throw ZipDirectoryError("central directory record \(index + 1) runs past the end record")
            }
            let compressed = uint32(position + 20)
            let uncompressed = uint32(position + 24)
            let localHeader = uint32(position + 42)
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, localHeader != 0xFFFF_FFFF else {
                throw ZipDirectoryError("ZIP64 archives are not supported")
            }
            guard localHeader + 30 <= bytes.count, signature(localHeader, 0x0403_4b50) else {
                throw ZipDirectoryError("entry \(index + 1): its local header is missing or outside the archive")
            }
            let dataStart = localHeader + 30 + uint16(localHeader + 26) + uint16(localHeader + 28)
            guard dataStart <= bytes.count, compressed <= bytes.count - dataStart else {
                throw ZipDirectoryError("entry \(index + 1): its \(compressed) bytes of data run past the end of the archive")
            }
            let method = uint16(position + 10), flags = uint16(position + 8)
            if flags & 0x0008 != 0 {
                // A data descriptor (CRC-32 and sizes, 12 bytes after an optional signature)
                // follows the data; ZIPFoundation reads it where the data would end by the
                // directory's size: the compressed one, or for stored entries the uncompressed one.
                let descriptor = dataStart + (method == 0 ? uncompressed : compressed)
                guard descriptor <= bytes.count - 12 else {
                    throw ZipDirectoryError("entry \(index + 1): its data descriptor lies outside the archive")
                }
            }
            records.append(Record(method: UInt16(method), flags: UInt16(flags),
                                  crc32: UInt32(uint32(position + 16)), uncompressedSize: uncompressed, data: dataStart..<(dataStart + compressed)))
            position = recordEnd
        }
        self.records = records
    }
}

/// Why a zip archive's layout was refused.
struct ZipDirectoryError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
