import Crypto
import Foundation
import PSEKit
import TestSupport
import SwiftASN1
import X509
import XCTest

final class CertificateBundleTests: XCTestCase {
    static let certificates: [Certificate] = try! ["A", "B", "C"].map { try TestCertificates.selfSigned(commonName: $0) }

    private var certificates: [Certificate] { Self.certificates }
    private func der(_ index: Int) -> [UInt8] { CertificateBundle.derBytes(of: certificates[index]) }

    private func assertError(_ bytes: [UInt8], _ expected: PSEKitError, file: StaticString = #filePath,
                             line: UInt = #line) {
        XCTAssertThrowsError(try CertificateBundle.parse(bytes), file: file, line: line) { error in
            XCTAssertEqual(error as? PSEKitError, expected, file: file, line: line)
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

        let contentInfo = try ContentInfo(derEncoded: pkcs7)
        XCTAssertEqual(contentInfo.contentType, ContentInfo.signedDataType)
        let signedData = try XCTUnwrap(contentInfo.signedData())
        XCTAssertEqual(signedData.version, 1)
        XCTAssertEqual(signedData.digestAlgorithms.count, 0)
        XCTAssertEqual(signedData.encapContentInfo.contentType, ContentInfo.dataType)
        XCTAssertNil(signedData.encapContentInfo.content)
    }

    func testPKCS7WithIndefiniteLengthsAndCRLs() throws {
        // SignedData with a [1] crls field (skipped), wrapped in BER indefinite-length ContentInfo.
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.appendConstructedNode(identifier: .set) { _ in }
            try coder.serialize(PKCS7EncapsulatedContentInfo(contentType: ContentInfo.dataType))
            try coder.appendConstructedNode(identifier: .init(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                try coder.serialize(certificates[1])
            }
            try coder.appendConstructedNode(identifier: .init(tagWithNumber: 1, tagClass: .contextSpecific)) { _ in }
            try coder.appendConstructedNode(identifier: .set) { _ in }
        }
        let signedData = serializer.serializedBytes
        var oid = DER.Serializer()
        try oid.serialize(ContentInfo.signedDataType)
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
        try inner.serialize(PKCS7EncapsulatedContentInfo(contentType: ContentInfo.dataType))
        let head = inner.serializedBytes
        var tail = DER.Serializer()
        try tail.appendConstructedNode(identifier: .set) { _ in }
        let signedData: [UInt8] = [0x30, 0x80] + head + [0xA0, 0x80] + berCertificate + [0, 0] + tail.serializedBytes + [0, 0]
        var oid = DER.Serializer()
        try oid.serialize(ContentInfo.signedDataType)
        let ber: [UInt8] = [0x30, 0x80] + oid.serializedBytes + [0xA0, 0x80] + signedData + [0, 0, 0, 0]
        let parsed = try CertificateBundle.parse(ber)
        XCTAssertEqual(parsed, [certificates[0]])
        XCTAssertEqual(CertificateBundle.derBytes(of: parsed[0]), der(0))
        XCTAssertTrue(parsed[0].publicKey.isValidSignature(parsed[0].signature, for: parsed[0]))
    }

    func testErrors() throws {
        assertError([], .emptyInput)
        assertError(Array(" \n".utf8), .emptyInput)
        assertError(Array("hello, world".utf8), .unrecognizedFormat)
        assertError(Array("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n".utf8),
                    .noCertificates(otherBlocks: ["PRIVATE KEY"]))
        assertError(Array("-----BEGIN CERTIFICATE-----\nMIIB".utf8),
                    .invalidPEM(reason: "\"-----BEGIN CERTIFICATE-----\" has no \"-----END CERTIFICATE-----\""))
        assertError(Array("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----".utf8),
                    .invalidBase64(label: "CERTIFICATE"))
        assertError(CertificateBundle.pkcs7([]), .noCertificates(otherBlocks: []))
        var dataContent = DER.Serializer()
        try dataContent.serialize(ContentInfo(contentType: ContentInfo.dataType, content: nil))
        assertError(dataContent.serializedBytes, .unsupportedPKCS7Content(contentType: "1.2.840.113549.1.7.1"))
        XCTAssertThrowsError(try CertificateBundle.parse(Array(der(0).dropLast(3)))) { error in
            guard (error as? PSEKitError)?.code == .invalidDER else { return XCTFail("\(error)") }
        }
        var broken = der(0)
        broken[4] = 0x05  // tbsCertificate is no longer a SEQUENCE
        XCTAssertThrowsError(try CertificateBundle.parse(broken)) { error in
            XCTAssertEqual((error as? PSEKitError)?.code.family, .certificateBundle, "\(error)")
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
}
