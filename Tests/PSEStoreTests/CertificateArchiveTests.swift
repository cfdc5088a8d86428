import Crypto
import Foundation
import PSEKit
import TestSupport
@testable import PSEStore
import X509
import XCTest
import ZIPFoundation

/// Zip archives of certificates and the file reader that dispatches on a file's content.
final class CertificateArchiveTests: XCTestCase {
    static let certificates: [Certificate] = try! ["A", "B", "C"].map { try TestCertificates.selfSigned(commonName: $0) }

    private var certificates: [Certificate] { Self.certificates }
    private func der(_ index: Int) -> [UInt8] { CertificateBundle.derBytes(of: certificates[index]) }

    private func zip(_ entries: [(String, [UInt8]?)]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, content) in entries {
            if let content {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(content.count),
                                     compressionMethod: .deflate) { (position: Int64, size: Int) in
                    Data(content[Int(position)..<Int(position) + size])
                }
            } else {
                try archive.addEntry(with: path, type: .directory, uncompressedSize: Int64(0)) { (_: Int64, _: Int) in Data() }
            }
        }
        return [UInt8](try XCTUnwrap(archive.data))
    }

    func testZipArchiveReadsEveryEntry() throws {
        let bytes = try zip([
            ("certs/", nil),
            ("certs/a.der", der(0)),
            ("certs/bc.pem", Array(CertificateBundle.pem(Array(certificates[1...])).utf8)),
            ("__MACOSX/certs/._a.der", [0, 5, 22, 7]),
        ])
        XCTAssertTrue(CertificateArchive.isZipArchive(bytes))
        let entries = try CertificateArchive.entries(inZip: bytes)
        XCTAssertEqual(entries.map(\.path), ["certs/a.der", "certs/bc.pem"])
        XCTAssertEqual(entries.flatMap(\.certificates), certificates)
        XCTAssertEqual(try CertificateFileReader.certificates(in: bytes, fileName: "roots.zip"), certificates)
    }

    func testZipArchiveErrorsNameTheEntry() throws {
        let bytes = try zip([("a.der", der(0)), ("readme.txt", Array("hello".utf8))])
        XCTAssertThrowsError(try CertificateFileReader.certificates(in: bytes, fileName: "roots.zip")) { error in
            let message = (error as? PSEStoreError)?.message ?? "\(error)"
            XCTAssertTrue(message.hasPrefix("roots.zip: zip entry readme.txt: "), message)
            XCTAssertEqual((error as? PSEStoreError)?.code, .certificateFileUnreadable)
            XCTAssertEqual((error as? PSEStoreError)?.path, "roots.zip")
            XCTAssertEqual("\(error)", "PSEStoreError.certificateFileUnreadable: " + message)
        }
        let big = try zip([("big.pem", [UInt8](repeating: 0x41, count: CertificateArchive.maximumEntrySize + 1))])
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: big)) { error in
            XCTAssertEqual(error as? PSEStoreError,
                           .archiveEntryTooLarge(path: "big.pem", limit: CertificateArchive.maximumEntrySize))
        }
        let many = try zip((0...CertificateArchive.maximumEntryCount).map { ("d\($0)/", nil) })
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: many)) { error in
            XCTAssertEqual(error as? PSEStoreError, .tooManyArchiveEntries(limit: CertificateArchive.maximumEntryCount))
        }
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: [0x50, 0x4B, 0x03, 0x04, 1, 2, 3])) { error in
            XCTAssertEqual((error as? PSEStoreError)?.code, .notAnArchive, "\(error)")
        }
    }

    /// The reproducers the zip fuzz target found in ZIPFoundation (docs/robustness.md), kept in
    /// `fuzz/corpus/zip`: each must now be refused with an error, not hang or trap.
    private func fuzzReproducer(_ name: String) throws -> [UInt8] {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        XCTAssertNotEqual(url.path, "/", "no Package.swift above \(#filePath)")
        return Array(try Data(contentsOf: url.appendingPathComponent("fuzz/corpus/zip/\(name)")))
    }

    func testUnterminatedDeflateStreamIsRefusedNotSpunOn() throws {
        // ZIPFoundation's own inflate loop never ends on this 1127-byte archive.
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: try fuzzReproducer("seed-known-deflate-hang.zip"))) { error in
            guard let error = error as? PSEStoreError, error.code == .unreadableArchiveEntry else { return XCTFail("\(error)") }
            let reason = error.reason
            XCTAssertTrue(reason.contains("deflate stream"), reason)
        }
        // A good archive cut inside its deflated data, with its directory kept, is refused the same way.
        let good = try zip([("a.der", der(0))])
        let directory = try ZipDirectory(good)
        let record = try XCTUnwrap(directory.records.first)
        XCTAssertEqual(record.method, 8)
        var cut = good
        cut.replaceSubrange(record.data, with: good[record.data].prefix(record.compressedSize / 2))
        let shift = record.compressedSize - record.compressedSize / 2
        // Move the directory's offsets and sizes to the shorter data.
        let end = cut.count - 22
        let directoryStart = Int(cut[end + 16]) | Int(cut[end + 17]) << 8
        cut[end + 16] = UInt8((directoryStart - shift) & 0xff)
        cut[end + 17] = UInt8((directoryStart - shift) >> 8)
        let newSize = record.compressedSize - shift
        cut[directoryStart - shift + 20] = UInt8(newSize & 0xff)
        cut[directoryStart - shift + 21] = UInt8(newSize >> 8)
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: cut)) { error in
            guard let error = error as? PSEStoreError, error.code == .unreadableArchiveEntry else { return XCTFail("\(error)") }
            let reason = error.reason
            XCTAssertTrue(reason.hasPrefix("zip entry a.der "), reason)
            XCTAssertTrue(reason.contains("deflate stream"), reason)
        }
    }

    func testPositionsPastTheEndAreRefusedNotTrappedOn() throws {
        // ZIPFoundation's in-memory reader traps on this archive (a size that points past its end).
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: try fuzzReproducer("seed-known-offset-past-end.zip"))) { error in
            guard let error = error as? PSEStoreError, error.code == .notAnArchive else { return XCTFail("\(error)") }
            let reason = error.reason
            XCTAssertTrue(reason.contains("past"), reason)
        }
        // Found by the 10-minute campaign: a stored entry with a data descriptor whose
        // uncompressed size puts the descriptor past the end (ZIPFoundation's iterator traps).
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: try fuzzReproducer("seed-known-descriptor-past-end.zip"))) { error in
            XCTAssertEqual((error as? PSEStoreError)?.message, "not a readable zip archive: entry 2: its data descriptor lies outside the archive")
        }
        let good = try zip([("a.der", der(0))])
        XCTAssertEqual(try CertificateArchive.certificates(inZip: good), [certificates[0]])
        var damaged = good
        damaged.replaceSubrange((good.count - 6)..<(good.count - 2), with: [0xff, 0xff, 0, 0])   // the directory's offset
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: damaged)) { error in
            XCTAssertEqual((error as? PSEStoreError)?.message,
                           "not a readable zip archive: the central directory starts past its end record")
        }
        var flipped = good
        let record = try XCTUnwrap(ZipDirectory(good).records.first)
        flipped[record.data.lowerBound + 3] ^= 0x55  // inflates to something else, or not at all
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: flipped))
    }

    func testFileReaderDispatchesBundles() throws {
        XCTAssertEqual(try CertificateFileReader.certificates(in: der(2), fileName: "c.cer"), [certificates[2]])
        XCTAssertThrowsError(try CertificateFileReader.certificates(in: Array("nope".utf8), fileName: "x.cer")) { error in
            XCTAssertEqual((error as? PSEStoreError)?.message,
                           "x.cer: not a certificate: expected PEM, DER, Base64 or PKCS#7 (.p7b) data")
        }
    }

    /// A zip of many entries may unpack to no more than one certificate file may hold in all
    /// (the reproducer: a 4.1 MB zip ran past 600 s).
    func testAZipUnpacksToNoMoreThanOneFileMayHold() throws {
        // Entries that do parse, until the total is reached.
        let archive2 = try Archive(data: Data(), accessMode: .create)
        let pem = Array(String(repeating: "# padding line of a PEM file\n", count: 36_000).utf8)
        let certificate = try TestCertificates.selfSigned(commonName: "Zip")
        let content = pem + Array(CertificateBundle.pem([certificate]).utf8)
        XCTAssertLessThanOrEqual(content.count, CertificateArchive.maximumEntrySize)
        for index in 0..<17 {
            try archive2.addEntry(with: "c\(index).pem", type: .file, uncompressedSize: Int64(content.count),
                                  compressionMethod: .deflate) { (position: Int64, size: Int) in
                Data(content[Int(position)..<Int(position) + size])
            }
        }
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: [UInt8](try XCTUnwrap(archive2.data)))) { error in
            XCTAssertEqual(error as? PSEStoreError, .archiveContentTooLarge(limit: CertificateArchive.maximumTotalSize))
        }
    }
}
