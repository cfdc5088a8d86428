import Crypto
import Foundation
import PSEKit
@testable import PSEStore
import SwiftASN1
import X509
import XCTest
import ZIPFoundation

final class CertificateBundleTests: XCTestCase {
    /// Quick P-256 certificates (no RSA key generation needed for the bundle tests).
    static func makeCertificate(_ commonName: String) throws -> Certificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(3600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(), issuerPrivateKey: .init(key))
    }

    static let certificates: [Certificate] = try! ["A", "B", "C"].map(makeCertificate)

    private var certificates: [Certificate] { Self.certificates }
    private func der(_ index: Int) -> [UInt8] { CertificateBundle.derBytes(of: certificates[index]) }

    private func assertError(_ bytes: [UInt8], _ expected: CertificateBundleError, file: StaticString = #filePath,
                             line: UInt = #line) {
        XCTAssertThrowsError(try CertificateBundle.parse(bytes), file: file, line: line) { error in
            XCTAssertEqual(error as? CertificateBundleError, expected, file: file, line: line)
        }
    }

    func testDER() throws {
        XCTAssertEqual(try CertificateBundle.parse(der(0)), [certificates[0]])
    }

    func testPEMWithTextAroundAndManyBlocks() throws {
        let text = "Bag Attributes\n    friendlyName: a\nsubject=CN=A\n" + CertificateBundle.pem([certificates[0]])
            + "some text\n-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"
            + CertificateBundle.pem(Array(certificates[1...]))
        XCTAssertEqual(try CertificateBundle.parse(Array(text.utf8)), certificates)
    }

    func testPEMWithCRLFLongLinesAndOtherLabels() throws {
        let base64 = Data(der(0)).base64EncodedString()
        let crlf = "-----BEGIN X509 CERTIFICATE-----\r\n\(base64)\r\n-----END X509 CERTIFICATE-----\r\n"
        XCTAssertEqual(try CertificateBundle.parse(Array(crlf.utf8)), [certificates[0]])
        // OpenSSL's TRUSTED CERTIFICATE: the certificate followed by trust settings.
        let trusted = der(1) + [0x30, 0x03, 0x0C, 0x01, 0x41]
        let trustedPEM = PEMDocument(type: "TRUSTED CERTIFICATE", derBytes: trusted).pemString
        XCTAssertEqual(try CertificateBundle.parse(Array(trustedPEM.utf8)), [certificates[1]])
    }

    func testSingleLinePEMWithEscapedNewlines() throws {
        let oneLine = CertificateBundle.pem([certificates[2]]).replacingOccurrences(of: "\n", with: "\\n")
        XCTAssertFalse(oneLine.contains("\n"))
        XCTAssertEqual(try CertificateBundle.parse(Array(oneLine.utf8)), [certificates[2]])
    }

    func testBase64WithoutArmour() throws {
        var base64 = Data(der(0)).base64EncodedString()
        // Line breaks anywhere, no padding.
        base64.insert(contentsOf: "\r\n", at: base64.index(base64.startIndex, offsetBy: 7))
        base64.insert(contentsOf: "\n ", at: base64.index(base64.startIndex, offsetBy: 100))
        while base64.hasSuffix("=") { base64.removeLast() }
        XCTAssertEqual(try CertificateBundle.parse(Array(base64.utf8)), [certificates[0]])
    }

    func testPKCS7RoundTripKeepsOrder() throws {
        let reversed = Array(certificates.reversed())
        let pkcs7 = CertificateBundle.pkcs7(reversed)
        XCTAssertEqual(try CertificateBundle.parse(pkcs7), reversed)
        let pem = PEMDocument(type: "PKCS7", derBytes: pkcs7).pemString
        XCTAssertEqual(try CertificateBundle.parse(Array(("junk before\n" + pem).utf8)), reversed)
        XCTAssertEqual(try CertificateBundle.parse(Array(Data(pkcs7).base64EncodedString().utf8)), reversed)

        let contentInfo = try PKCS7ContentInfo(derEncoded: pkcs7)
        XCTAssertEqual(contentInfo.contentType, PKCS7ContentInfo.signedDataContentType)
        let signedData = try XCTUnwrap(contentInfo.signedData())
        XCTAssertEqual(signedData.version, 1)
        XCTAssertEqual(signedData.digestAlgorithms.count, 0)
        XCTAssertEqual(signedData.encapContentInfo.contentType, PKCS7ContentInfo.dataContentType)
        XCTAssertNil(signedData.encapContentInfo.content)
    }

    func testPKCS7WithIndefiniteLengthsAndCRLs() throws {
        // SignedData with a [1] crls field (skipped), wrapped in BER indefinite-length ContentInfo.
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.appendConstructedNode(identifier: .set) { _ in }
            try coder.serialize(PKCS7EncapsulatedContentInfo(contentType: PKCS7ContentInfo.dataContentType))
            try coder.appendConstructedNode(identifier: .init(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                try coder.serialize(certificates[1])
            }
            try coder.appendConstructedNode(identifier: .init(tagWithNumber: 1, tagClass: .contextSpecific)) { _ in }
            try coder.appendConstructedNode(identifier: .set) { _ in }
        }
        let signedData = serializer.serializedBytes
        var oid = DER.Serializer()
        try oid.serialize(PKCS7ContentInfo.signedDataContentType)
        let ber: [UInt8] = [0x30, 0x80] + oid.serializedBytes + [0xA0, 0x80] + signedData + [0, 0, 0, 0]
        XCTAssertEqual(try CertificateBundle.parse(ber), [certificates[1]])
    }

    func testBERCertificateInsidePKCS7ComesOutAsTheSignedDER() throws {
        // The signed part (tbsCertificate) with an indefinite length, as a BER writer may send it:
        // the certificate read is the DER one that was signed, and it still verifies.
        let node = try DER.parse(der(0))
        guard case .constructed(let children) = node.content else { return XCTFail("not constructed") }
        let parts = Array(children)
        guard case .constructed(let tbsFields) = parts[0].content else { return XCTFail("not constructed") }
        let berTBS: [UInt8] = [0x30, 0x80] + tbsFields.flatMap { Array($0.encodedBytes) } + [0, 0]
        let berCertificate: [UInt8] = [0x30, 0x80] + berTBS + Array(parts[1].encodedBytes) + Array(parts[2].encodedBytes) + [0, 0]
        var inner = DER.Serializer()
        try inner.serialize(1)
        try inner.appendConstructedNode(identifier: .set) { _ in }
        try inner.serialize(PKCS7EncapsulatedContentInfo(contentType: PKCS7ContentInfo.dataContentType))
        let head = inner.serializedBytes
        var tail = DER.Serializer()
        try tail.appendConstructedNode(identifier: .set) { _ in }
        let signedData: [UInt8] = [0x30, 0x80] + head + [0xA0, 0x80] + berCertificate + [0, 0] + tail.serializedBytes + [0, 0]
        var oid = DER.Serializer()
        try oid.serialize(PKCS7ContentInfo.signedDataContentType)
        let ber: [UInt8] = [0x30, 0x80] + oid.serializedBytes + [0xA0, 0x80] + signedData + [0, 0, 0, 0]
        let parsed = try CertificateBundle.parse(ber)
        XCTAssertEqual(parsed, [certificates[0]])
        XCTAssertEqual(CertificateBundle.derBytes(of: parsed[0]), der(0))
        XCTAssertTrue(parsed[0].publicKey.isValidSignature(parsed[0].signature, for: parsed[0]))
    }

    func testErrors() throws {
        assertError([], .empty)
        assertError(Array(" \n".utf8), .empty)
        assertError(Array("hello, world".utf8), .unrecognizedFormat)
        assertError(Array("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n".utf8),
                    .noCertificates(otherBlocks: ["PRIVATE KEY"]))
        assertError(Array("-----BEGIN CERTIFICATE-----\nMIIB".utf8),
                    .invalidPEM(reason: "\"-----BEGIN CERTIFICATE-----\" has no \"-----END CERTIFICATE-----\""))
        assertError(Array("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----".utf8),
                    .invalidBase64(label: "CERTIFICATE"))
        assertError(CertificateBundle.pkcs7([]), .noCertificates(otherBlocks: []))
        var dataContent = DER.Serializer()
        try dataContent.serialize(PKCS7ContentInfo(contentType: PKCS7ContentInfo.dataContentType, content: nil))
        assertError(dataContent.serializedBytes, .unsupportedPKCS7Content(contentType: "1.2.840.113549.1.7.1"))
        XCTAssertThrowsError(try CertificateBundle.parse(Array(der(0).dropLast(3)))) { error in
            guard case .invalidDER? = error as? CertificateBundleError else { return XCTFail("\(error)") }
        }
        var broken = der(0)
        broken[4] = 0x05  // tbsCertificate is no longer a SEQUENCE
        XCTAssertThrowsError(try CertificateBundle.parse(broken)) { error in
            XCTAssertNotNil(error as? CertificateBundleError, "\(error)")
        }
    }

    func testLimits() throws {
        let tooLarge = [UInt8](repeating: 0x41, count: CertificateBundle.maximumInputSize + 1)
        assertError(tooLarge, .inputTooLarge(size: tooLarge.count, limit: CertificateBundle.maximumInputSize))
        let pem = CertificateBundle.pem([certificates[0]])
        let manyPEM = String(repeating: pem, count: CertificateBundle.maximumCertificateCount + 1)
        XCTAssertLessThan(manyPEM.utf8.count, CertificateBundle.maximumInputSize)
        assertError(Array(manyPEM.utf8), .tooManyCertificates(limit: CertificateBundle.maximumCertificateCount))
    }

    // MARK: - zip archives (PSEStore)

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
            let description = String(describing: error)
            XCTAssertTrue(description.hasPrefix("roots.zip: zip entry readme.txt: "), description)
            XCTAssertEqual((error as? CertificateFileError)?.fileName, "roots.zip")
        }
        let big = try zip([("big.pem", [UInt8](repeating: 0x41, count: CertificateArchive.maximumEntrySize + 1))])
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: big)) { error in
            XCTAssertEqual(error as? CertificateArchiveError,
                           .entryTooLarge(path: "big.pem", limit: CertificateArchive.maximumEntrySize))
        }
        let many = try zip((0...CertificateArchive.maximumEntryCount).map { ("d\($0)/", nil) })
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: many)) { error in
            XCTAssertEqual(error as? CertificateArchiveError, .tooManyEntries(limit: CertificateArchive.maximumEntryCount))
        }
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: [0x50, 0x4B, 0x03, 0x04, 1, 2, 3])) { error in
            guard case .notAnArchive? = error as? CertificateArchiveError else { return XCTFail("\(error)") }
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
            guard case .unreadableEntry(_, let reason)? = error as? CertificateArchiveError else { return XCTFail("\(error)") }
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
            guard case .unreadableEntry(let path, let reason)? = error as? CertificateArchiveError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "a.der")
            XCTAssertTrue(reason.contains("deflate stream"), reason)
        }
    }

    func testPositionsPastTheEndAreRefusedNotTrappedOn() throws {
        // ZIPFoundation's in-memory reader traps on this archive (a size that points past its end).
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: try fuzzReproducer("seed-known-offset-past-end.zip"))) { error in
            guard case .notAnArchive(let reason)? = error as? CertificateArchiveError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("past"), reason)
        }
        // Found by the 10-minute campaign: a stored entry with a data descriptor whose
        // uncompressed size puts the descriptor past the end (ZIPFoundation's iterator traps).
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: try fuzzReproducer("seed-known-descriptor-past-end.zip"))) { error in
            XCTAssertEqual(String(describing: error), "not a readable zip archive: entry 2: its data descriptor lies outside the archive")
        }
        let good = try zip([("a.der", der(0))])
        XCTAssertEqual(try CertificateArchive.certificates(inZip: good), [certificates[0]])
        var damaged = good
        damaged.replaceSubrange((good.count - 6)..<(good.count - 2), with: [0xff, 0xff, 0, 0])   // the directory's offset
        XCTAssertThrowsError(try CertificateArchive.entries(inZip: damaged)) { error in
            XCTAssertEqual(String(describing: error),
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
            XCTAssertEqual(String(describing: error),
                           "x.cer: not a certificate: expected PEM, DER, Base64 or PKCS#7 (.p7b) data")
        }
    }
}
