import Crypto
import Foundation
@testable import PSEKit
import SwiftASN1
import X509
import XCTest

/// Issue 20, items 5 and 6: PEM/Base64 reading is linear (shown by counting the work, never by
/// timing it), zip archives cost no more than their content as one file, and a PKCS#12 file's
/// key derivations are bounded in total.
final class HardeningParserTests: XCTestCase {
    // MARK: 5. Linear PEM

    /// 16 MiB of tiny foreign blocks (the reproducer ran past 900 s): refused, with the byte
    /// comparisons a small constant times the input size, and a short message.
    func testSixteenMebibytesOfTinyBlocksAreReadInLinearWork() throws {
        let block = Array("-----BEGIN X-----\n-----END X-----\n".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(CertificateBundle.maximumInputSize)
        while bytes.count + block.count <= CertificateBundle.maximumInputSize { bytes += block }
        var scanner = PEMScanner()
        XCTAssertThrowsError(try CertificateBundle.parsePEM(bytes[...], scanner: &scanner)) { error in
            XCTAssertEqual(error as? PSEKitError, .noCertificates(otherBlocks: ["X"]))
        }
        XCTAssertLessThanOrEqual(scanner.comparisons, 3 * bytes.count, "the PEM reader's work grows faster than its input")
        XCTAssertThrowsError(try CertificateBundle.parse(bytes)) { error in
            XCTAssertEqual(error as? PSEKitError, .noCertificates(otherBlocks: ["X"]))
        }
    }

    /// 16 MiB of junk: with a BEGIN line and nothing after it, without any, and as Base64.
    func testSixteenMebibytesOfJunkAreRefusedInLinearWork() throws {
        let size = CertificateBundle.maximumInputSize
        var junk = Array("-----BEGIN CERTIFICATE-----\n".utf8)
        junk += [UInt8](repeating: UInt8(ascii: "-"), count: size - junk.count)
        var scanner = PEMScanner()
        XCTAssertThrowsError(try CertificateBundle.parsePEM(junk[...], scanner: &scanner))
        XCTAssertLessThanOrEqual(scanner.comparisons, 20 * junk.count)

        let dashes = Array("-----BEGIN ".utf8) + [UInt8](repeating: UInt8(ascii: "-"), count: size - 11)
        scanner = PEMScanner()
        XCTAssertThrowsError(try CertificateBundle.parsePEM(dashes[...], scanner: &scanner))
        XCTAssertLessThanOrEqual(scanner.comparisons, 20 * dashes.count)

        let base64 = [UInt8](repeating: UInt8(ascii: "Q"), count: size)
        XCTAssertThrowsError(try CertificateBundle.parse(base64)) { error in
            XCTAssertEqual(error as? PSEKitError, .unrecognizedFormat)
        }
    }

    /// 10,000 certificates as PEM are read with work linear in the size, and give what the
    /// .p7b of the same certificates gives.
    func testTenThousandCertificatesAsPEMAreReadLikeTheirP7B() throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("Many") }
        let certificate = try Certificate(version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                                          notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(3600),
                                          issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                                          extensions: Certificate.Extensions(), issuerPrivateKey: .init(key))
        let certificates = [Certificate](repeating: certificate, count: CertificateBundle.maximumCertificateCount)
        let pem = Array(CertificateBundle.pem(certificates).utf8)
        var scanner = PEMScanner()
        let fromPEM = try CertificateBundle.parsePEM(pem[...], scanner: &scanner)
        XCTAssertEqual(fromPEM.count, certificates.count)
        XCTAssertLessThanOrEqual(scanner.comparisons, 3 * pem.count)
        XCTAssertEqual(try CertificateBundle.parse(CertificateBundle.pkcs7(certificates)), fromPEM)
        // One more is refused.
        XCTAssertThrowsError(try CertificateBundle.parse(pem + Array(CertificateBundle.pem([certificate]).utf8))) { error in
            XCTAssertEqual(error as? PSEKitError, .tooManyCertificates(limit: CertificateBundle.maximumCertificateCount))
        }
    }

    /// PEM kept in JSON (one line, literal \n) and with RFC 1421 headers still reads.
    func testBase64BodyVariantsStillRead() throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("Variant") }
        let certificate = try Certificate(version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                                          notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(3600),
                                          issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                                          extensions: Certificate.Extensions(), issuerPrivateKey: .init(key))
        let pem = CertificateBundle.pem([certificate])
        let oneLine = pem.replacingOccurrences(of: "\n", with: "\\n")
        XCTAssertEqual(try CertificateBundle.parse(Array(oneLine.utf8)), [certificate])
        let crlf = pem.replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(try CertificateBundle.parse(Array(crlf.utf8)), [certificate])
        let headers = pem.replacingOccurrences(of: "-----BEGIN CERTIFICATE-----\n",
                                               with: "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\n")
        XCTAssertEqual(try CertificateBundle.parse(Array(headers.utf8)), [certificate])
    }

    // MARK: 6. PKCS#12 work budget

    /// The reproducer's shape: 64 encrypted contents of 10,000,000 iterations each (79 s of CPU
    /// before) is refused before any key derivation runs.
    func testSixtyFourHeavyBagsAreRefusedBeforeAnyDerivation() throws {
        let prf = AlgorithmIdentifier.withNullParameters(PKCS12ObjectIdentifier.hmacWithSHA256)
        let kdf = PBKDF2Parameters(salt: Array(repeating: 1, count: 16), iterationCount: 10_000_000, keyLength: nil, pseudoRandomFunction: prf)
        let parameters = PBES2Parameters(
            keyDerivationFunction: AlgorithmIdentifier(algorithm: PKCS12ObjectIdentifier.pbkdf2, parameters: try ASN1Any(erasing: kdf)),
            encryptionScheme: AlgorithmIdentifier(algorithm: PKCS12ObjectIdentifier.aes256CBC,
                                                        parameters: try ASN1Any(erasing: ASN1OctetString(contentBytes: ArraySlice(repeating: 2, count: 16)))))
        let algorithm = AlgorithmIdentifier(algorithm: PKCS12ObjectIdentifier.pbes2, parameters: try ASN1Any(erasing: parameters))
        let content = try ContentInfo(encryptedData: PKCS12EncryptedData(
            encryptedContentInfo: PKCS12EncryptedContentInfo(contentType: ContentInfo.dataType,
                                                             contentEncryptionAlgorithm: algorithm,
                                                             encryptedContent: Array(repeating: 3, count: 32))))
        let authSafe = try PKCS12Encoding.derBytes(PKCS12AuthenticatedSafe(contents: Array(repeating: content, count: 64)))
        let file = try PKCS12Encoding.derBytes(PKCS12PFX(authSafe: ContentInfo(data: authSafe), macData: nil))
        XCTAssertLessThan(file.count, 64 * 1024)
        let budget = KeyDerivationBudget()
        XCTAssertThrowsError(try PKCS12.parse(file, password: "x", budget: budget)) { error in
            XCTAssertEqual(error as? PSEKitError, .workLimitExceeded(requested: 640_000_000, limit: PKCS12.maximumKeyDerivationIterations))
            XCTAssertTrue(String(describing: error).contains("more than the 20000000 one file may use"), "\(error)")
        }
        XCTAssertEqual(budget.spent, 0, "no derivation ran")
    }

    /// Derivations found only after decryption (a shrouded key inside encrypted content) are
    /// charged as they come: a normal file (MAC, certificates, key: 3 × 2,048) passes a budget
    /// of 6,144 and fails one of 6,000 with the reason.
    func testTheBudgetCountsEveryDerivationOfTheFile() throws {
        let leaf = PKCS12TestIdentities.chain.leaf
        let file = try PKCS12.build(privateKey: leaf.key, certificate: leaf.certificate, chain: [], password: "pw",
                                    friendlyName: nil, options: .modern)
        let exact = KeyDerivationBudget(limit: 3 * 2048)
        XCTAssertNotNil(try PKCS12.parse(file, password: "pw", budget: exact).privateKey)
        XCTAssertEqual(exact.spent, 3 * 2048)
        XCTAssertThrowsError(try PKCS12.parse(file, password: "pw", budget: KeyDerivationBudget(limit: 6000))) { error in
            XCTAssertEqual(error as? PSEKitError, .workLimitExceeded(requested: 6144, limit: 6000))
        }
    }
}
