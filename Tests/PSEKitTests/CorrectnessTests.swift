import Crypto
import CryptoExtras
import Foundation
import PSEKit
import SwiftASN1
import X509
import TestSupport
import XCTest

/// Issue 17 ("Correctness"), library side: DPAPI-wrapped credentials and the PKRoot of an
/// X.509 v1 root, each checked against SAP-written files.
final class CorrectnessTests: XCTestCase {
    // MARK: Item 2: Windows DPAPI credentials (pysap's SAP-written test data)

    func testDPAPICredentialsAreRecognisedAndNeverUsedAsAPIN() throws {
        for name in ["credv2_lps_off_v0_dp_3des", "credv2_lps_off_v1_dp_aes256"] {
            let file = try CredentialsFile(derEncoded: SAPTestData.bytes(name))
            let credential = try XCTUnwrap(file.credentials.first, name)
            let secret = try credential.decrypt(forUser: "username")
            XCTAssertTrue(secret.isWindowsDPAPIProtected, name)
            XCTAssertEqual(secret.option1, "MSCryptProtect", name)
            XCTAssertTrue(credential.protectionDescription(forUser: "username").contains("Windows DPAPI"), name)
            let path = try XCTUnwrap(credential.psePath)
            // The DPAPI blob is not a PIN: never handed out as one.
            XCTAssertThrowsError(try file.secret(forPSEAt: path, user: "username"), name) { error in
                XCTAssertEqual(error as? PSEKitError, .windowsDPAPIProtected, name)
            }
        }
        // The same credentials without DPAPI still give their PIN.
        let plain = try CredentialsFile(derEncoded: SAPTestData.bytes("credv2_lps_off_v1_aes256"))
        let path = try XCTUnwrap(plain.credentials.first?.psePath)
        XCTAssertEqual(try plain.secret(forPSEAt: path, user: "username")?.pin, "1234567890")
        // LPS on with DPAPI: recognised by its blob type.
        let lps = try CredentialsFile(derEncoded: SAPTestData.bytes("credv2_lps_on_v2_dp_aes256"))
        XCTAssertEqual(lps.credentials.first?.protection, .lps(.dpapi))
    }

    // MARK: Item 3: X.509 v1 roots keep SAP's PKRoot structure

    /// The identifiers of a node's children.
    private func children(_ node: ASN1Node) -> [ASN1Identifier] {
        guard case .constructed(let nodes) = node.content else { return [] }
        return nodes.map(\.identifier)
    }

    private func node(_ value: ASN1Any) throws -> ASN1Node {
        var serializer = DER.Serializer()
        try serializer.serialize(value)
        return try DER.parse(serializer.serializedBytes)
    }

    private func child(_ node: ASN1Node, _ index: Int) throws -> ASN1Node {
        guard case .constructed(let nodes) = node.content else { throw ASN1Error.invalidASN1Object(reason: "not constructed") }
        return Array(nodes)[index]
    }

    /// A self-signed X.509 v1 certificate (no version field, no extensions) for an RSA key.
    private func v1Root(key: _RSA.Signing.PrivateKey) throws -> Certificate {
        let name = try DistinguishedName { CommonName("V1 Root CA"); OrganizationName("Old Landscape") }
        let now = Date()
        return try Certificate(version: .v1, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                               notValidBefore: now - 3600, notValidAfter: now + 86400 * 30, issuer: name, subject: name,
                               signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions(),
                               issuerPrivateKey: .init(key))
    }

    func testV1RootIsWrittenWithSAPsPKRootSKnewAndCertListStructure() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let root = try v1Root(key: key)
        XCTAssertEqual(root.version, .v1)
        var content = try PSEContent(algorithm: PSEEncryptionAlgorithm.random())
        try content.setIdentity(privateKey: key, certificate: root, chain: [])

        let sap = try PSEFile.decode(Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1_plain.pse"), pin: nil).content
        for type in [PSEObjectType.rootKey, PSEObjectType.privateKey, PSEObjectType.trustedCertificates] {
            let ours = try node(try XCTUnwrap(content.object(ofType: type)).value)
            let theirs = try node(try XCTUnwrap(sap.object(ofType: type)).value)
            XCTAssertEqual(ours.identifier, theirs.identifier, "\(type)")
            if type == PSEObjectType.rootKey {
                // name, key (and SAP's v3 root has extensions, a v1 root has none).
                XCTAssertEqual(Array(children(ours).prefix(2)), Array(children(theirs).prefix(2)))
                XCTAssertEqual(children(ours).count, 2)
                // key: [0] version, serial, publicKey, [1] validity, [2] algorithm, signature: as SAP writes it.
                XCTAssertEqual(children(try child(ours, 1)), children(try child(theirs, 1)))
                let version = try child(try child(ours, 1), 0)
                XCTAssertEqual(children(version), [.integer])
                XCTAssertEqual(try Int(derEncoded: try child(version, 0)), 0)
            } else {
                XCTAssertEqual(children(ours), children(theirs), "\(type)")
            }
        }
        // Taken apart and rebuilt, the v1 root is the same certificate (no version field in it).
        let stored = try RootKeyObject(asn1Any: try XCTUnwrap(content.object(ofType: PSEObjectType.rootKey)).value)
        XCTAssertEqual(stored.version, 0)
        XCTAssertEqual(try stored.certificate(), root)
        XCTAssertEqual(try content.rootCertificate(), root)
        // SAP's own v3 PKRoot still reads and writes back byte for byte.
        let sapRoot = try XCTUnwrap(sap.object(ofType: PSEObjectType.rootKey))
        XCTAssertEqual(try ASN1Any(erasing: RootKeyObject(asn1Any: sapRoot.value)), sapRoot.value)
    }
}
