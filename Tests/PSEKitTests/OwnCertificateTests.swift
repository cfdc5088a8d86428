import Crypto
import CryptoExtras
import Foundation
import PSEKit
import SwiftASN1
import X509
import TestSupport
import XCTest

final class OwnCertificateTests: XCTestCase {
    static let key2048: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    // MARK: - GN-… specs

    func testSubjectAlternativeNameSpecs() throws {
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("GN-dNSName:host.example.com"), .dnsName("host.example.com"))
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("gn-dnsname:*.example.com"), .dnsName("*.example.com"))
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("GN-rfc822Name:admin@example.com"), .rfc822Name("admin@example.com"))
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("GN-uniformResourceIdentifier:https://example.com/x"),
                       .uniformResourceIdentifier("https://example.com/x"))
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("GN-iPAddress:192.0.2.10"),
                       .ipAddress(ASN1OctetString(contentBytes: [192, 0, 2, 10])))
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("GN-iPAddress:2001:db8::1"),
                       .ipAddress(ASN1OctetString(contentBytes: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1])))
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("GN-iPAddress:::ffff:192.0.2.1"),
                       .ipAddress(ASN1OctetString(contentBytes: [UInt8](repeating: 0, count: 10) + [0xff, 0xff, 192, 0, 2, 1])))
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("GN-iPAddress:::"),
                       .ipAddress(ASN1OctetString(contentBytes: [UInt8](repeating: 0, count: 16)[...])))
        XCTAssertEqual(try SubjectAlternativeNameSpec.parse("GN-iPAddress:1:2:3:4:5:6:7:8"),
                       .ipAddress(ASN1OctetString(contentBytes: [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8])))

        for spec in ["GN-dNSName:h", "GN-iPAddress:10.1.2.3", "GN-iPAddress:2001:db8::1", "GN-iPAddress:fe80::1:0:0:2",
                     "GN-rfc822Name:a@b", "GN-uniformResourceIdentifier:urn:x"] {
            XCTAssertEqual(SubjectAlternativeNameSpec.format(try SubjectAlternativeNameSpec.parse(spec)), spec)
        }
    }

    func testSubjectAlternativeNameSpecErrors() {
        func error(_ spec: String) -> PSEKitError? {
            do { _ = try SubjectAlternativeNameSpec.parse(spec); return nil } catch { return error as? PSEKitError }
        }
        XCTAssertEqual(error("host.example.com")?.code, .invalidSubjectAlternativeName)
        XCTAssertEqual(error("host.example.com")?.reason,
                       "invalid alternative name \"host.example.com\": expected KIND:VALUE such as GN-dNSName:host.example.com")
        XCTAssertEqual(error("GN-dNSName:")?.reason, "invalid alternative name \"GN-dNSName:\": the value after ':' is empty")
        XCTAssertEqual(error("GN-directoryName:CN=x"), .unsupportedSubjectAlternativeNameKind("GN-directoryName"))
        for bad in ["GN-iPAddress:256.1.1.1", "GN-iPAddress:1.2.3", "GN-iPAddress:1::2::3", "GN-iPAddress:12345::1",
                    "GN-iPAddress:1:2:3:4:5:6:7", "GN-rfc822Name:nobody", "GN-dNSName:a b"] {
            XCTAssertEqual(error(bad)?.code, .invalidSubjectAlternativeName, "\(bad) should be invalid")
        }
    }

    // MARK: - -a choices

    func testSignatureAlgorithmChoices() throws {
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("sha256WithRsaEncryption"), .init(hash: .sha256))
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("SHA384WITHRSAENCRYPTION"), .init(hash: .sha384))
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("sha512WithRsaEncryption").signatureAlgorithm, .sha512WithRSAEncryption)
        let sha1 = try SignatureAlgorithmChoice.parse("sha1WithRsaEncryption")
        XCTAssertTrue(sha1.isWeak)
        XCTAssertEqual(sha1.signatureAlgorithm, .sha1WithRSAEncryption)
        XCTAssertFalse(try SignatureAlgorithmChoice.parse("sha256WithRsaEncryption").isWeak)
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("RSA:2048:SHA256"), .init(keySize: 2048, hash: .sha256))
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("rsa:4096:sha512"), .init(keySize: 4096, hash: .sha512))
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("RSA:3072"), .init(keySize: 3072, hash: .sha256))
        XCTAssertTrue(try SignatureAlgorithmChoice.parse("RSA:2048:SHA1").isWeak)
        XCTAssertEqual(SignatureAlgorithmChoice.default.description, "sha256WithRsaEncryption")

        XCTAssertThrowsError(try SignatureAlgorithmChoice.parse("md5WithRsaEncryption")) {
            XCTAssertEqual($0 as? PSEKitError, .unknownSignatureAlgorithm("md5WithRsaEncryption"))
        }
        XCTAssertThrowsError(try SignatureAlgorithmChoice.parse("DSA:1024:SHA1")) {
            XCTAssertEqual($0 as? PSEKitError, .unsupportedKeyType("DSA"))
        }
        XCTAssertThrowsError(try SignatureAlgorithmChoice.parse("RSA:1024:SHA256")) {
            XCTAssertEqual($0 as? PSEKitError, .unsupportedKeySize("1024"))
        }
        XCTAssertThrowsError(try SignatureAlgorithmChoice.parse("RSA:2048:MD5")) {
            XCTAssertEqual($0 as? PSEKitError, .unsupportedHash("MD5"))
        }
    }

    // MARK: - self-signed certificate

    func testSelfSignedCertificateHasSAPShape() throws {
        let subject = try SAPDistinguishedName.parse("CN=COMPUTER.theobald.local, C=DE, S=BW, O=TS, OU=DEV")
        let notBefore = Date(timeIntervalSince1970: 1_700_000_000.75)
        let certificate = try SelfSignedCertificateBuilder.make(
            privateKey: Self.key2048, subject: subject, signatureAlgorithm: .default, notBefore: notBefore, days: 365)

        XCTAssertEqual(certificate.version, .v3)
        XCTAssertEqual(certificate.subject, subject)
        XCTAssertEqual(certificate.issuer, subject)
        XCTAssertEqual(certificate.signatureAlgorithm, .sha256WithRSAEncryption)
        XCTAssertEqual(certificate.notValidBefore, Date(timeIntervalSince1970: 1_700_000_000))
        XCTAssertEqual(certificate.notValidAfter, Date(timeIntervalSince1970: 1_700_000_000 + 365 * 86_400))
        let serial = Array(certificate.serialNumber.bytes)
        XCTAssertTrue(serial.count == 8 || (serial.count == 9 && serial[0] == 0 && serial[1] >= 0x80), "\(serial)")

        let extensions = Array(certificate.extensions)
        XCTAssertEqual(extensions.map(\.oid), [
            .X509ExtensionID.subjectKeyIdentifier, .X509ExtensionID.authorityKeyIdentifier, .X509ExtensionID.basicConstraints,
        ])
        XCTAssertEqual(extensions.map(\.critical), [false, false, false])
        let ski = try SubjectKeyIdentifier(extensions[0])
        let publicKeyBits = Certificate.PublicKey(Self.key2048.publicKey).subjectPublicKeyInfoBytes
        XCTAssertEqual(Array(ski.keyIdentifier), Array(Insecure.SHA1.hash(data: publicKeyBits)))
        XCTAssertEqual(try AuthorityKeyIdentifier(extensions[1]).keyIdentifier, ski.keyIdentifier)
        XCTAssertEqual(try BasicConstraints(extensions[2]), .isCertificateAuthority(maxPathLength: nil))
        XCTAssertEqual(Array(extensions[2].value), [0x30, 0x03, 0x01, 0x01, 0xFF])  // as in SAP's vector

        XCTAssertTrue(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
    }

    func testExtensionsMatchSAPVectorByteForByte() throws {
        let vectorURL = SAPTestData.url("pse_v2_lps_off_pbes1_3des_sha1_cert.der")
        let vector = try Certificate(derEncoded: [UInt8](Data(contentsOf: vectorURL)))
        // Rebuild SAP's extensions from SAP's public key: same OIDs, criticality and values.
        let keyIdentifier = SubjectKeyIdentifier(hash: vector.publicKey)
        let ours = try SelfSignedCertificateBuilder.make(
            privateKey: Self.key2048, subject: vector.subject, notBefore: vector.notValidBefore)
        XCTAssertEqual(Array(vector.extensions).map(\.oid), Array(ours.extensions).map(\.oid))
        XCTAssertEqual(Array(vector.extensions).map(\.critical), Array(ours.extensions).map(\.critical))
        XCTAssertEqual(try SubjectKeyIdentifier(Array(vector.extensions)[0]).keyIdentifier, keyIdentifier.keyIdentifier)
        XCTAssertEqual(Array(vector.extensions)[2].value, Array(ours.extensions)[2].value)
        // SAP's certificate is valid for 365 days, our default.
        XCTAssertEqual(vector.notValidAfter.timeIntervalSince(vector.notValidBefore),
                       TimeInterval(SelfSignedCertificateBuilder.defaultValidityDays) * 86_400)
    }

    func testSelfSignedWithAlternativeNamesAndEveryHash() throws {
        let names: [GeneralName] = [.dnsName("a.example"), .ipAddress(ASN1OctetString(contentBytes: [10, 0, 0, 1]))]
        for hash in SignatureAlgorithmChoice.Hash.allCases {
            let choice = SignatureAlgorithmChoice(hash: hash)
            let certificate = try SelfSignedCertificateBuilder.make(
                privateKey: Self.key2048, subject: try SAPDistinguishedName.parse("CN=a.example"),
                alternativeNames: names, signatureAlgorithm: choice)
            XCTAssertEqual(certificate.signatureAlgorithm, choice.signatureAlgorithm)
            let san = try XCTUnwrap(certificate.extensions.subjectAlternativeNames)
            XCTAssertEqual(Array(san), names)
            XCTAssertEqual(Array(certificate.extensions).last?.oid, .X509ExtensionID.subjectAlternativeName)
            XCTAssertTrue(certificate.publicKey.isValidSignature(certificate.signature, for: certificate), "\(hash)")
        }
    }

    func testBuilderErrors() throws {
        XCTAssertThrowsError(try SelfSignedCertificateBuilder.make(privateKey: Self.key2048, subject: DistinguishedName())) {
            XCTAssertEqual($0 as? PSEKitError, .emptySubject)
        }
        XCTAssertThrowsError(try SelfSignedCertificateBuilder.make(
            privateKey: Self.key2048, subject: try SAPDistinguishedName.parse("CN=x"), days: 0)) {
            XCTAssertEqual($0 as? PSEKitError, .invalidValidity(days: 0))
        }
        XCTAssertThrowsError(try CertificateRequestBuilder.make(privateKey: Self.key2048, subject: DistinguishedName())) {
            XCTAssertEqual($0 as? PSEKitError, .emptySubject)
        }
    }

    func testRandomSerialNumbersAreEightPositiveBytes() {
        let serials = (0..<50).map { _ in Array(SelfSignedCertificateBuilder.randomSerialNumber().bytes) }
        XCTAssertEqual(Set(serials).count, 50)
        for serial in serials {
            let magnitude = serial.first == 0 ? Array(serial.dropFirst()) : serial
            XCTAssertEqual(magnitude.count, 8)
            XCTAssertNotEqual(magnitude[0], 0)
        }
    }

    // MARK: - certificate request

    func testCertificateRequestCarriesSubjectKeyAndNames() throws {
        let subject = try SAPDistinguishedName.parse("CN=COMPUTER.theobald.local, C=DE, S=BW, O=TS, OU=DEV")
        let names: [GeneralName] = [.dnsName("COMPUTER.theobald.local"), .rfc822Name("it@theobald.local")]
        let request = try CertificateRequestBuilder.make(
            privateKey: Self.key2048, subject: subject, alternativeNames: names,
            signatureAlgorithm: try .parse("sha384WithRsaEncryption"))
        XCTAssertEqual(request.subject, subject)
        XCTAssertEqual(request.publicKey, Certificate.PublicKey(Self.key2048.publicKey))
        XCTAssertEqual(request.signatureAlgorithm, .sha384WithRSAEncryption)
        let extensionRequest = try XCTUnwrap(request.attributes.extensionRequest)
        XCTAssertEqual(Array(try XCTUnwrap(extensionRequest.extensions.subjectAlternativeNames)), names)
        XCTAssertTrue(request.publicKey.isValidSignature(request.signature, for: request))

        let pem = try CertificateRequestBuilder.pem(request)
        XCTAssertTrue(pem.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----\n"))
        XCTAssertTrue(pem.hasSuffix("-----END CERTIFICATE REQUEST-----\n"))
        XCTAssertEqual(try CertificateSigningRequest(pemEncoded: pem), request)

        let plain = try CertificateRequestBuilder.make(privateKey: Self.key2048, subject: subject)
        XCTAssertNil(try plain.attributes.extensionRequest)
    }

    func testKey4096SignsWhatItsCertificateVerifies() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits4096)
        let choice = try SignatureAlgorithmChoice.parse("RSA:4096:SHA512")
        XCTAssertEqual(choice.keySize, key.keySizeInBits)
        let certificate = try SelfSignedCertificateBuilder.make(
            privateKey: key, subject: try SAPDistinguishedName.parse("CN=big"), signatureAlgorithm: choice)
        let message = Array("PSE signature check".utf8)
        let signature = try key.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5)
        let publicKey = try XCTUnwrap(_RSA.Signing.PublicKey(certificate.publicKey))
        XCTAssertEqual(publicKey.keySizeInBits, 4096)
        XCTAssertTrue(publicKey.isValidSignature(signature, for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5))
        XCTAssertTrue(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
    }
    // MARK: - chain of an own certificate

    private func issue(_ subject: String, issuer: String, key: P256.Signing.PrivateKey,
                       issuerKey: P256.Signing.PrivateKey) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(3600),
            issuer: try SAPDistinguishedName.parse(issuer), subject: try SAPDistinguishedName.parse(subject),
            signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(), issuerPrivateKey: .init(issuerKey))
    }

    func testChainIsOrderedAndChecked() throws {
        let rootKey = P256.Signing.PrivateKey(), intermediateKey = P256.Signing.PrivateKey(), leafKey = P256.Signing.PrivateKey()
        let root = try issue("CN=Root", issuer: "CN=Root", key: rootKey, issuerKey: rootKey)
        let intermediate = try issue("CN=Intermediate", issuer: "CN=Root", key: intermediateKey, issuerKey: rootKey)
        let leaf = try issue("CN=Leaf", issuer: "CN=Intermediate", key: leafKey, issuerKey: intermediateKey)
        let unrelated = try issue("CN=Other", issuer: "CN=Other", key: leafKey, issuerKey: leafKey)

        XCTAssertEqual(try OwnCertificateChain.build(for: leaf, from: [unrelated, root, leaf, intermediate, root]),
                       [intermediate, root])
        XCTAssertEqual(try OwnCertificateChain.build(for: root, from: []), [])
        XCTAssertTrue(IssuerWalk.isSelfSigned(root))
        XCTAssertFalse(IssuerWalk.isSelfSigned(leaf))

        XCTAssertThrowsError(try OwnCertificateChain.build(for: leaf, from: [intermediate])) {
            XCTAssertEqual($0 as? PSEKitError, .missingIssuer(subject: "CN=Intermediate", issuer: "CN=Root"))
        }
        // A certificate with the issuer's name but another key does not complete the chain.
        let impostor = try issue("CN=Intermediate", issuer: "CN=Root", key: leafKey, issuerKey: rootKey)
        XCTAssertThrowsError(try OwnCertificateChain.build(for: leaf, from: [impostor, root])) {
            XCTAssertEqual($0 as? PSEKitError, .issuerSignatureMismatch(subject: "CN=Leaf", issuer: "CN=Intermediate"))
        }
        // Two CAs that issued each other never reach a root.
        let aKey = P256.Signing.PrivateKey(), bKey = P256.Signing.PrivateKey()
        let a = try issue("CN=A", issuer: "CN=B", key: aKey, issuerKey: bKey)
        let b = try issue("CN=B", issuer: "CN=A", key: bKey, issuerKey: aKey)
        let child = try issue("CN=Child", issuer: "CN=A", key: leafKey, issuerKey: aKey)
        XCTAssertThrowsError(try OwnCertificateChain.build(for: child, from: [a, b])) {
            XCTAssertEqual($0 as? PSEKitError, .chainLoop(subject: "CN=A"))
        }
    }
}
