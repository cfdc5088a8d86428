/// Where each entry of an in-memory zip archive lies, its name and its type, read from its central
/// directory and checked against the archive's size before any byte of an entry is read.
///
/// `CertificateArchive` reads the layout here, refuses what does not fit, and inflates each entry
/// from exactly its own bytes with zlib. (ZIPFoundation, which psekit used before, trusted these
/// positions: it trapped on archives whose directory or local header points past their end and
/// spun for ever on a deflate stream that does not end before the archive does;
/// docs/robustness.md. The checks stay.)
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

        /// The entry's name: UTF-8 when flag bit 11 says so, else code page 437 (APPNOTE 4.4.4, D.1).
        var path: String = ""
        /// A regular file: not a directory (a name ending in `/`, or the mode a Unix or macOS
        /// archiver stored) and not a symbolic link.
        var isFile: Bool = true

        var compressedSize: Int { data.count }

        var isEncrypted: Bool { flags & 0x0001 != 0 }
    }

    /// The records in central directory order.
    var records: [Record]

    /// Reads and checks the layout; the error says what does not fit.
    init(_ bytes: [UInt8]) throws {
        func uint16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        func uint32(_ offset: Int) -> Int { uint16(offset) | uint16(offset + 2) << 16 }
        func signature(_ offset: Int, _ value: Int) -> Bool { offset + 4 <= bytes.count && uint32(offset) == value }

        // The end record is searched from the end, over at most a maximal comment, as readers do.
        guard bytes.count >= 22 else { throw PSEStoreError.zipLayout("too short for a zip archive") }
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while end >= lowest && !signature(end, 0x0605_4b50) { end -= 1 }
        guard end >= lowest else { throw PSEStoreError.zipLayout("no end of central directory record") }
        if end >= 20 && signature(end - 20, 0x0706_4b50) { throw PSEStoreError.zipLayout("ZIP64 archives are not supported") }
        guard uint16(end + 4) == 0, uint16(end + 6) == 0, uint16(end + 8) == uint16(end + 10) else {
            throw PSEStoreError.zipLayout("split (multi-disk) archives are not supported")
        }
        let count = uint16(end + 10)
        var position = uint32(end + 16)
        guard position <= end else { throw PSEStoreError.zipLayout("the central directory starts past its end record") }

        var records: [Record] = []
        records.reserveCapacity(count)
        for index in 0..<count {
            guard position + 46 <= end, signature(position, 0x0201_4b50) else {
                throw PSEStoreError.zipLayout("central directory record \(index + 1) of \(count) is missing or truncated")
            }
            let nameLength = uint16(position + 28)
            let recordEnd = position + 46 + nameLength + uint16(position + 30) + uint16(position + 32)
            guard recordEnd <= end else {
                throw PSEStoreError.zipLayout("central directory record \(index + 1) runs past the end record")
            }
            let compressed = uint32(position + 20)
            let uncompressed = uint32(position + 24)
            let localHeader = uint32(position + 42)
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, localHeader != 0xFFFF_FFFF else {
                throw PSEStoreError.zipLayout("ZIP64 archives are not supported")
            }
            guard localHeader + 30 <= bytes.count, signature(localHeader, 0x0403_4b50) else {
                throw PSEStoreError.zipLayout("entry \(index + 1): its local header is missing or outside the archive")
            }
            let dataStart = localHeader + 30 + uint16(localHeader + 26) + uint16(localHeader + 28)
            guard dataStart <= bytes.count, compressed <= bytes.count - dataStart else {
                throw PSEStoreError.zipLayout("entry \(index + 1): its \(compressed) bytes of data run past the end of the archive")
            }
            let method = uint16(position + 10), flags = uint16(position + 8)
            if flags & 0x0008 != 0 {
                // A data descriptor (CRC-32 and sizes, 12 bytes after an optional signature)
                // follows the data, where it ends by the directory's size: the compressed one, or
                // (as ZIPFoundation reads it) for stored entries the uncompressed one.
                let descriptor = dataStart + (method == 0 ? uncompressed : compressed)
                guard descriptor <= bytes.count - 12 else {
                    throw PSEStoreError.zipLayout("entry \(index + 1): its data descriptor lies outside the archive")
                }
            }
            let name = bytes[(position + 46)..<(position + 46 + nameLength)]
            let path = flags & 0x0800 != 0 ? String(decoding: name, as: UTF8.self) : Self.codePage437(name)
            records.append(Record(method: UInt16(method), flags: UInt16(flags),
                                  crc32: UInt32(uint32(position + 16)), uncompressedSize: uncompressed,
                                  data: dataStart..<(dataStart + compressed), path: path,
                                  isFile: Self.isFile(path: path, madeBy: uint16(position + 4), attributes: uint32(position + 38))))
            position = recordEnd
        }
        self.records = records
    }

    /// A directory ends in `/`; archivers on Unix and macOS (made-by host 3 and 19) keep the
    /// file's mode in the upper half of the external attributes, MS-DOS ones a directory bit (0x10).
    static func isFile(path: String, madeBy: Int, attributes: Int) -> Bool {
        switch madeBy >> 8 {
        case 3, 19:
            switch (attributes >> 16) & 0o170000 {
            case 0o100000: return true
            case 0o040000, 0o120000: return false
            default: break
            }
        case 0:
            if attributes & 0x10 != 0 { return false }
        default:
            break
        }
        return !path.hasSuffix("/")
    }

    /// Names without the UTF-8 flag: code page 437, the original IBM PC set (ASCII below 0x80).
    static func codePage437(_ bytes: ArraySlice<UInt8>) -> String {
        var result = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte < 0x80 ? UInt32(byte) : codePage437Upper[Int(byte) - 0x80]
            result.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(result)
    }

    private static let codePage437Upper: [UInt32] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
        0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
        0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
        0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
    ]
}
