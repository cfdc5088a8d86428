import Crypto
import CryptoExtras
import Foundation
@testable import PSEKit
import SwiftASN1
import X509
import XCTest

/// Keys and a three-level chain (root → intermediate → leaf) made with swift-crypto and
/// swift-certificates, shared by the PKCS#12 and PKCS#8 tests. Generated once per test run.
enum PKCS12TestIdentities {
    struct Identity {
        var rsaKey: _RSA.Signing.PrivateKey
        var key: PKCS8PrivateKey
        var certificate: Certificate
    }

    static let chain: (root: Identity, intermediate: Identity, leaf: Identity) = {
        do {
            let root = try make(subject: "PKCS12 Test Root", issuer: nil, isCA: true)
            let intermediate = try make(subject: "PKCS12 Test Intermediate", issuer: root, isCA: true)
            let leaf = try make(subject: "PKCS12 Test Leaf", issuer: intermediate, isCA: false)
            return (root, intermediate, leaf)
        } catch {
            fatalError("cannot make the test identities: \(error)")
        }
    }()

    static func make(subject: String, issuer: Identity?, isCA: Bool) throws -> Identity {
        let rsaKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let subjectName = try DistinguishedName { OrganizationName("psekit tests"); CommonName(subject) }
        let signingKey = Certificate.PrivateKey(issuer?.rsaKey ?? rsaKey)
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: Certificate.PrivateKey(rsaKey).publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86400 * 365),
            issuer: issuer?.certificate.subject ?? subjectName, subject: subjectName,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            }.withoutCA(unless: isCA),
            issuerPrivateKey: signingKey)
        return Identity(rsaKey: rsaKey, key: try PKCS8PrivateKey(rsaKey: rsaKey), certificate: certificate)
    }
}

private extension Certificate.Extensions {
    func withoutCA(unless isCA: Bool) throws -> Certificate.Extensions {
        isCA ? self : try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) }
    }
}

final class PKCS12BuildParseTests: XCTestCase {
    private let identities = PKCS12TestIdentities.chain

    func testModernRoundTripKeepsKeyCertificateChainAndName() throws {
        let (root, intermediate, leaf) = identities
        let p12 = try PKCS12.build(privateKey: leaf.key, certificate: leaf.certificate,
                                   chain: [intermediate.certificate, root.certificate], password: "geheim",
                                   friendlyName: "my key", options: .modern)
        let bundle = try PKCS12.parse(p12, password: "geheim")
        XCTAssertEqual(bundle.privateKey?.derRepresentation, leaf.key.derRepresentation)
        XCTAssertEqual(bundle.certificate, leaf.certificate)
        XCTAssertEqual(bundle.chain, [intermediate.certificate, root.certificate])
        XCTAssertEqual(bundle.friendlyName, "my key")
        XCTAssertEqual(try bundle.privateKey?.rsaPrivateKey().publicKey.derRepresentation, leaf.rsaKey.publicKey.derRepresentation)
    }

    func testModernOutputUsesPBES2AndASHA256MAC() throws {
        let (_, _, leaf) = identities
        let p12 = try PKCS12.build(privateKey: leaf.key, certificate: leaf.certificate, chain: [], password: "x",
                                   friendlyName: nil, options: .modern)
        let pfx = try PKCS12PFX(derEncoded: p12)
        XCTAssertEqual(pfx.macData?.mac.digestAlgorithm.algorithm, PKCS12ObjectIdentifier.sha256)
        XCTAssertEqual(pfx.macData?.iterations, 2048)
        let safe = try PKCS12AuthenticatedSafe(derEncoded: try pfx.authSafe.dataContent)
        XCTAssertEqual(safe.contents.map(\.contentType), [ContentInfo.encryptedDataType, ContentInfo.dataType])
        let encrypted = try safe.contents[0].encryptedDataContent.encryptedContentInfo
        XCTAssertEqual(encrypted.contentEncryptionAlgorithm.algorithm, PKCS12ObjectIdentifier.pbes2)
        let parameters = try encrypted.contentEncryptionAlgorithm.decodeParameters(as: PBES2Parameters.self)
        XCTAssertEqual(parameters.encryptionScheme.algorithm, PKCS12ObjectIdentifier.aes256CBC)
        let kdf = try parameters.keyDerivationFunction.decodeParameters(as: PBKDF2Parameters.self)
        XCTAssertEqual(kdf.pseudoRandomFunction.algorithm, PKCS12ObjectIdentifier.hmacWithSHA256)
        XCTAssertEqual(kdf.iterationCount, 2048)
    }

    func testLegacyRoundTripUsesTripleDESAndASHA1MAC() throws {
        let (root, intermediate, leaf) = identities
        let p12 = try PKCS12.build(privateKey: leaf.key, certificate: leaf.certificate,
                                   chain: [root.certificate, intermediate.certificate], password: "alt",
                                   friendlyName: nil, options: .legacy)
        let pfx = try PKCS12PFX(derEncoded: p12)
        XCTAssertEqual(pfx.macData?.mac.digestAlgorithm.algorithm, PKCS12ObjectIdentifier.sha1)
        let safe = try PKCS12AuthenticatedSafe(derEncoded: try pfx.authSafe.dataContent)
        XCTAssertEqual(try safe.contents[0].encryptedDataContent.encryptedContentInfo.contentEncryptionAlgorithm.algorithm,
                       PKCS12ObjectIdentifier.pbeWithSHAAnd3KeyTripleDESCBC)
        let bundle = try PKCS12.parse(p12, password: "alt")
        XCTAssertEqual(bundle.privateKey?.derRepresentation, leaf.key.derRepresentation)
        XCTAssertEqual(bundle.certificate, leaf.certificate)
        XCTAssertEqual(bundle.chain, [intermediate.certificate, root.certificate], "ordered by issuer, not by input order")
        XCTAssertNil(bundle.friendlyName)
    }

    func testWrongPasswordIsReportedWithAndWithoutMAC() throws {
        let (_, _, leaf) = identities
        for options in [PKCS12Options.modern, .legacy] {
            let p12 = try PKCS12.build(privateKey: leaf.key, certificate: leaf.certificate, chain: [], password: "right",
                                       friendlyName: nil, options: options)
            XCTAssertThrowsError(try PKCS12.parse(p12, password: "wrong")) {
                XCTAssertEqual($0 as? PSEKitError, .wrongPassword)
            }
            var withoutMAC = options
            withoutMAC.macAlgorithm = nil
            let unprotected = try PKCS12.build(privateKey: leaf.key, certificate: leaf.certificate, chain: [], password: "right",
                                               friendlyName: nil, options: withoutMAC)
            XCTAssertNil(try PKCS12PFX(derEncoded: unprotected).macData)
            XCTAssertEqual(try PKCS12.parse(unprotected, password: "right").certificate, leaf.certificate)
            XCTAssertThrowsError(try PKCS12.parse(unprotected, password: "wrong")) {
                XCTAssertEqual($0 as? PSEKitError, .wrongPassword)
            }
        }
    }

    func testEmptyAndNonASCIIPasswords() throws {
        let (_, _, leaf) = identities
        for password in ["", "Pässwörd €😀"] {
            for options in [PKCS12Options.modern, .legacy] {
                let p12 = try PKCS12.build(privateKey: leaf.key, certificate: leaf.certificate, chain: [], password: password,
                                           friendlyName: "ключ", options: options)
                let bundle = try PKCS12.parse(p12, password: password)
                XCTAssertEqual(bundle.certificate, leaf.certificate)
                XCTAssertEqual(bundle.friendlyName, "ключ")
            }
        }
    }

    func testMismatchedKeyIsRefused() throws {
        let (root, _, leaf) = identities
        XCTAssertThrowsError(try PKCS12.build(privateKey: root.key, certificate: leaf.certificate, chain: [], password: "x",
                                              friendlyName: nil, options: .modern)) {
            XCTAssertEqual($0 as? PSEKitError, .keyDoesNotMatchCertificate)
        }
    }

    func testUnencryptedCertificatesAndOtherSchemes() throws {
        let (root, intermediate, leaf) = identities
        for scheme in [PasswordBasedEncryptionScheme.pbes2AES128CBC, .pbeWithSHAAnd40BitRC2CBC, .pbeWithSHAAnd3KeyTripleDESCBC] {
            let options = PKCS12Options(keyEncryption: scheme, certificateEncryption: nil, iterations: 1000,
                                        macAlgorithm: .sha512, macIterations: 1000)
            let p12 = try PKCS12.build(privateKey: leaf.key, certificate: leaf.certificate,
                                       chain: [intermediate.certificate, root.certificate], password: "pw",
                                       friendlyName: nil, options: options)
            let bundle = try PKCS12.parse(p12, password: "pw")
            XCTAssertEqual(bundle.privateKey?.derRepresentation, leaf.key.derRepresentation, "\(scheme)")
            XCTAssertEqual(bundle.chain, [intermediate.certificate, root.certificate])
        }
    }

    func testChainOrderingFromAnyInputOrder() {
        let (root, intermediate, leaf) = identities
        let duplicateRoot = root.certificate   // duplicates are dropped
        XCTAssertEqual(PKCS12.orderChain(leaf: leaf.certificate,
                                         certificates: [root.certificate, leaf.certificate, intermediate.certificate, duplicateRoot]),
                       [intermediate.certificate, root.certificate])
        XCTAssertEqual(PKCS12.orderChain(leaf: nil, certificates: [root.certificate, intermediate.certificate, leaf.certificate]),
                       [leaf.certificate, intermediate.certificate, root.certificate])
        XCTAssertEqual(PKCS12.orderChain(leaf: intermediate.certificate, certificates: [leaf.certificate, root.certificate]),
                       [root.certificate, leaf.certificate], "a certificate outside the path goes to the end")
    }

    func testGarbageIsMalformed() {
        XCTAssertThrowsError(try PKCS12.parse([0x30, 0x03, 0x02, 0x01, 0x03], password: "x")) { error in
            guard (error as? PSEKitError)?.code == .malformedPKCS12 else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try PKCS12.parse(Array("not a p12".utf8), password: "x")) { error in
            guard (error as? PSEKitError)?.code == .malformedPKCS12 else { return XCTFail("\(error)") }
        }
    }
}
