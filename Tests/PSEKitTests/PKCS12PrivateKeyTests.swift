import Crypto
import CryptoExtras
import Foundation
@testable import PSEKit
import SwiftASN1
import X509
import XCTest

final class PKCS12PrivateKeyTests: XCTestCase {
    private let leaf = PKCS12TestIdentities.chain.leaf

    func testPKCS1FieldsMatchTheKey() throws {
        let pkcs1 = try leaf.key.pkcs1RSAPrivateKey()
        let primitives = try leaf.rsaKey.publicKey.getKeyPrimitives()
        XCTAssertEqual(pkcs1.modulus, Array(primitives.modulus.drop { $0 == 0 }))
        XCTAssertEqual(pkcs1.publicExponent, [0x01, 0x00, 0x01])
        XCTAssertEqual(pkcs1.prime1.count + pkcs1.prime2.count, pkcs1.modulus.count)
        XCTAssertTrue(leaf.key.isRSA)
        XCTAssertEqual(leaf.key.keyType, .rsa)
        XCTAssertTrue(leaf.key.matches(leaf.certificate))
        XCTAssertFalse(leaf.key.matches(PKCS12TestIdentities.chain.root.certificate))
        // Serialising the parsed PKCS#1 structure reproduces swift-crypto's DER.
        XCTAssertEqual(try PKCS12Encoding.derBytes(pkcs1), Array(leaf.rsaKey.derRepresentation))
    }

    func testPEMForms() throws {
        let plain = try PKCS8PrivateKey.parse(pemOrDER: Array(leaf.key.pemRepresentation.utf8), password: nil)
        XCTAssertEqual(plain, leaf.key)
        let pkcs1PEM = leaf.rsaKey.pemRepresentation   // "RSA PRIVATE KEY"
        XCTAssertTrue(pkcs1PEM.contains("BEGIN RSA PRIVATE KEY"))
        XCTAssertEqual(try PKCS8PrivateKey.parse(pemOrDER: Array(pkcs1PEM.utf8), password: nil).derRepresentation,
                       leaf.key.derRepresentation)
        let encrypted = try leaf.key.encryptedPEMRepresentation(password: "pem pass")
        XCTAssertTrue(encrypted.contains("BEGIN ENCRYPTED PRIVATE KEY"))
        XCTAssertEqual(try PKCS8PrivateKey.parse(pemOrDER: Array(encrypted.utf8), password: "pem pass"), leaf.key)
        XCTAssertThrowsError(try PKCS8PrivateKey.parse(pemOrDER: Array(encrypted.utf8), password: "other")) {
            XCTAssertEqual($0 as? PSEKitError, .wrongPassword)
        }
        XCTAssertThrowsError(try PKCS8PrivateKey.parse(pemOrDER: Array(encrypted.utf8), password: nil)) {
            XCTAssertEqual($0 as? PSEKitError, .passwordRequired)
        }
        // A certificate before the key is skipped.
        let certificatePEM = try leaf.certificate.serializeAsPEM().pemString
        XCTAssertEqual(try PKCS8PrivateKey.parse(pemOrDER: Array((certificatePEM + "\n" + leaf.key.pemRepresentation).utf8),
                                                 password: nil), leaf.key)
        XCTAssertThrowsError(try PKCS8PrivateKey.parse(pemOrDER: Array(certificatePEM.utf8), password: nil)) { error in
            guard (error as? PSEKitError)?.code == .unsupportedPEM else { return XCTFail("\(error)") }
        }
    }

    func testDERForms() throws {
        XCTAssertEqual(try PKCS8PrivateKey.parse(pemOrDER: leaf.key.derRepresentation, password: nil), leaf.key)
        XCTAssertEqual(try PKCS8PrivateKey.parse(pemOrDER: Array(leaf.rsaKey.derRepresentation), password: nil), leaf.key)
        for scheme in [PasswordBasedEncryptionScheme.pbes2AES256CBC, .pbes2AES128CBC, .pbeWithSHAAnd3KeyTripleDESCBC,
                       .pbeWithSHAAnd40BitRC2CBC] {
            let encrypted = try EncryptedPrivateKeyInfo(encrypting: leaf.key, password: "der", scheme: scheme, iterations: 100)
            XCTAssertEqual(try PKCS8PrivateKey.parse(pemOrDER: try encrypted.derRepresentation, password: "der"), leaf.key)
            XCTAssertThrowsError(try EncryptedPrivateKeyInfo(derRepresentation: try encrypted.derRepresentation).decrypt(password: "bad")) {
                XCTAssertEqual($0 as? PSEKitError, .wrongPassword, "\(scheme)")
            }
        }
        XCTAssertThrowsError(try PKCS8PrivateKey.parse(pemOrDER: [1, 2, 3], password: nil)) { error in
            guard (error as? PSEKitError)?.code == .malformedPKCS12 else { return XCTFail("\(error)") }
        }
    }

    func testECKeysAreRecognisedAndMatched() throws {
        let ecKey = P256.Signing.PrivateKey()
        let key = try PKCS8PrivateKey(derRepresentation: Array(ecKey.derRepresentation))
        XCTAssertEqual(key.keyType, .ec)
        XCTAssertFalse(key.isRSA)
        XCTAssertThrowsError(try key.rsaPrivateKey())
        let name = try DistinguishedName { CommonName("EC") }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(ecKey.publicKey), notValidBefore: Date(),
            notValidAfter: Date().addingTimeInterval(3600), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(), issuerPrivateKey: .init(ecKey))
        XCTAssertTrue(key.matches(certificate))
        XCTAssertFalse(key.matches(leaf.certificate))
        let p12 = try PKCS12.build(privateKey: key, certificate: certificate, chain: [], password: "ec", friendlyName: nil,
                                   options: .modern)
        let bundle = try PKCS12.parse(p12, password: "ec")
        XCTAssertEqual(bundle.privateKey?.keyType, .ec)
        XCTAssertEqual(bundle.certificate, certificate)
    }

    func testErrorMessagesNeverContainThePassword() throws {
        let encrypted = try leaf.key.encryptedPEMRepresentation(password: "Sup3rSecret", iterations: 10)
        do {
            _ = try PKCS8PrivateKey.parse(pemOrDER: Array(encrypted.utf8), password: "WrongSecret")
            XCTFail("a wrong password must fail")
        } catch {
            XCTAssertFalse("\(error)".contains("Secret"))
            XCTAssertEqual("\(error)", PSEKitError.wrongPassword.description)
        }
    }
}
