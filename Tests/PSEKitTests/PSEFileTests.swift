import Crypto
import CryptoExtras
import PSEKit
import SwiftASN1
import X509
import XCTest

final class PSEFileTests: XCTestCase {
    func testLayoutsOfTheVectors() throws {
        XCTAssertEqual(try PSEFile.layout(of: Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1.pse")), .v2Encrypted)
        XCTAssertEqual(try PSEFile.layout(of: Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")), .v2Plain)
        XCTAssertEqual(try PSEFile.layout(of: Vectors.bytes("pse_v4_lps_off_pbes1_3des_sha1.pse")), .v4Encrypted)
    }

    func testEncryptedVectorsReencryptByteForByte() throws {
        for name in ["pse_v2_lps_off_pbes1_3des_sha1.pse", "pse_v4_lps_off_pbes1_3des_sha1.pse"] {
            let original = try Vectors.bytes(name)
            let pse = try PSEFile.decode(original, pin: Vectors.psePIN)
            XCTAssertEqual(pse.algorithm.iterations, 10_000, name)
            XCTAssertEqual(try pse.encoded(pin: Vectors.psePIN), original, name)
        }
    }

    func testPlainVectorRewritesByteForByte() throws {
        let original = try Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")
        let pse = try PSEFile.decode(original, pin: nil)
        XCTAssertEqual(try pse.encoded(pin: nil), original)
    }

    func testPlainAndEncryptedV2HoldTheSameObjects() throws {
        // The two files were written at different times: same objects, other time stamps.
        let plain = try PSEFile.decode(Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1_plain.pse"), pin: nil)
        let encrypted = try PSEFile.decode(Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1.pse"), pin: Vectors.psePIN)
        XCTAssertEqual(plain.content.objects.map(\.value), encrypted.content.objects.map(\.value))
        XCTAssertEqual(plain.content.objects.map(\.type), encrypted.content.objects.map(\.type))
    }

    func testWrongPINIsReportedAsSuch() throws {
        for name in ["pse_v2_lps_off_pbes1_3des_sha1.pse", "pse_v4_lps_off_pbes1_3des_sha1.pse"] {
            XCTAssertThrowsError(try PSEFile.decode(Vectors.bytes(name), pin: "0000")) { error in
                XCTAssertEqual(error as? PSEKitError, .wrongPIN, name)
            }
            XCTAssertThrowsError(try PSEFile.decode(Vectors.bytes(name), pin: nil)) { error in
                XCTAssertEqual(error as? PSEKitError, .pinRequired, name)
            }
        }
    }

    func testObjectsOfTheVector() throws {
        let content = try PSEFile.decode(Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1_plain.pse"), pin: nil).content
        XCTAssertEqual(content.objects.map(\.name), ["SKnew", "PKRoot", "Cert", "CertList"])
        let certificate = try XCTUnwrap(content.ownCertificate())
        XCTAssertEqual(Array(try PSEDERTestHelper.der(certificate)), try Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1_cert.der"))
        XCTAssertEqual(certificate.subject.description, "CN=PSEOwner")
        XCTAssertEqual(certificate.serialNumber.bytes, [0x8C, 0x3A, 0x0D, 0xBE, 0x67, 0x59, 0x23, 0x54])
        XCTAssertEqual(try content.rootCertificate(), certificate)
        XCTAssertEqual(try content.trustedCertificates(), [certificate])
        XCTAssertEqual(try content.certificationPath(), [])
    }

    func testRootKeyObjectRebuildsTheCertificateAndTakesItApart() throws {
        let content = try PSEFile.decode(Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1_plain.pse"), pin: nil).content
        let stored = try XCTUnwrap(content.object(ofType: PSEObjectType.rootKey))
        let root = try RootKeyObject(asn1Any: stored.value)
        let rebuilt = try RootKeyObject(root.certificate())
        XCTAssertEqual(try ASN1Any(erasing: rebuilt), stored.value)
    }

    func testPrivateKeyFromTheVectorSignsWhatTheCertificateVerifies() throws {
        for (name, pin) in [("pse_v2_lps_off_pbes1_3des_sha1.pse", Vectors.psePIN), ("pse_v4_lps_off_pbes1_3des_sha1.pse", Vectors.psePIN), ("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", nil)] {
            let content = try PSEFile.decode(Vectors.bytes(name), pin: pin).content
            let key = try XCTUnwrap(content.privateKey(), name)
            XCTAssertEqual(key.keySizeInBits, 2048)
            let message = Array("psekit signs this".utf8)
            let signature = try key.signature(for: message, padding: .insecurePKCS1v1_5)
            let certificate = try XCTUnwrap(content.ownCertificate())
            let publicKey = try XCTUnwrap(_RSA.Signing.PublicKey(certificate.publicKey))
            XCTAssertTrue(publicKey.isValidSignature(signature, for: message, padding: .insecurePKCS1v1_5), name)
            XCTAssertFalse(publicKey.isValidSignature(signature, for: Array("other".utf8), padding: .insecurePKCS1v1_5))
            // Stored back as primes, the key gives the same SKnew value.
            let object = try XCTUnwrap(content.object(ofType: PSEObjectType.privateKey))
            XCTAssertEqual(try ASN1Any(erasing: PrivateKeyObject(key)), object.value)
        }
    }

    func testNewPINAndVersionConversions() throws {
        let original = try PSEFile.decode(Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1.pse"), pin: Vectors.psePIN)
        for version in [2, 4] {
            for pin in ["new-PIN-ü", ""] {
                var pse = original
                pse.version = version
                pse.algorithm = .random()
                let bytes = try pse.encoded(pin: pin)
                XCTAssertEqual(try PSEFile.layout(of: bytes).version, version)
                XCTAssertEqual(try PSEFile.layout(of: bytes).isPINProtected, !pin.isEmpty)
                let reread = try PSEFile.decode(bytes, pin: pin.isEmpty ? nil : pin)
                XCTAssertEqual(try reread.content.ownCertificate(), try original.content.ownCertificate())
                XCTAssertEqual(try reread.content.privateKey()?.derRepresentation, try original.content.privateKey()?.derRepresentation)
            }
        }
    }

    func testCorruptAndTruncatedInputsThrowMalformed() throws {
        let original = try Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1.pse")
        for length in [0, 1, 2, 10, 100, original.count / 2, original.count - 1] {
            XCTAssertThrowsError(try PSEFile.decode(Array(original.prefix(length)), pin: Vectors.psePIN)) { error in
                guard (error as? PSEKitError)?.code == .malformedPSE else { return XCTFail("\(length): \(error)") }
            }
        }
        XCTAssertThrowsError(try PSEFile.decode(Array("not a pse".utf8), pin: nil)) { error in
            guard (error as? PSEKitError)?.code == .malformedPSE else { return XCTFail("\(error)") }
        }
        // A flipped byte inside the v4 ciphertext is caught by the content hash.
        var v4 = try Vectors.bytes("pse_v4_lps_off_pbes1_3des_sha1.pse")
        v4[1000] ^= 0x55
        XCTAssertThrowsError(try PSEFile.decode(v4, pin: Vectors.psePIN))
    }

    func testUnknownObjectsAreKeptUnchanged() throws {
        var pse = try PSEFile.decode(Vectors.bytes("pse_v2_lps_off_pbes1_3des_sha1_plain.pse"), pin: nil)
        let unknownValue = try ASN1Any(derEncoded: DER.parse([0x04, 0x03, 0x01, 0x02, 0x03]))
        pse.content.objects.append(PSEObject(name: "AliasList", modified: try GeneralizedTime(Date(timeIntervalSince1970: 0)),
                                             type: PSEObjectType.aliasList, value: unknownValue))
        let reread = try PSEFile.decode(pse.encoded(pin: "1"), pin: "1")
        XCTAssertEqual(reread.content.object(ofType: PSEObjectType.aliasList)?.value, unknownValue)
        XCTAssertEqual(reread.content.objects.count, 5)
    }
}

enum PSEDERTestHelper {
    static func der<T: DERSerializable>(_ value: T) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(value)
        return coder.serializedBytes
    }
}
