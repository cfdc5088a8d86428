import Crypto
import CryptoExtras
import PSEKit
import SwiftASN1
import TestSupport
import X509
import XCTest

/// Every file SAP's own tools wrote in pysap 0.2.1's test data, read under its original name,
/// with the result SAP's tools give.
final class SAPFilesTests: XCTestCase {
    // MARK: - PSEs

    /// The four PSEs of one key pair and self-signed certificate (`CN=PSEOwner`), in each layout.
    static let pses: [(name: String, layout: PSEFile.Layout, pin: String?, certificate: String)] = [
        ("pse_v2_lps_off_pbes1_3des_sha1.pse", .v2Encrypted, SAPTestData.psePIN, "pse_v2_lps_off_pbes1_3des_sha1_cert.der"),
        ("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", .v2Plain, nil, "pse_v2_lps_off_pbes1_3des_sha1_cert.der"),
        ("pse_v4_lps_off_pbes1_3des_sha1.pse", .v4Encrypted, SAPTestData.psePIN, "pse_v4_lps_off_pbes1_3des_sha1_cert.der"),
        ("pse_v4_lps_off_pbes1_3des_sha1_plain.pse", .v4Plain, nil, "pse_v4_lps_off_pbes1_3des_sha1_cert.der"),
    ]

    func testEachPSEHasItsLayoutAndItsOwnCertificateIsTheOneBesideIt() throws {
        for pse in Self.pses {
            let bytes = try SAPTestData.bytes(pse.name)
            XCTAssertEqual(try PSEFile.layout(of: bytes), pse.layout, pse.name)
            let content = try PSEFile.decode(bytes, pin: pse.pin).content
            XCTAssertEqual(content.objects.map(\.name), ["SKnew", "PKRoot", "Cert", "CertList"], pse.name)
            let certificate = try XCTUnwrap(content.ownCertificate(), pse.name)
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            XCTAssertEqual(serializer.serializedBytes, try SAPTestData.bytes(pse.certificate), pse.name)
            XCTAssertEqual(SAPDistinguishedName.format(certificate.subject), "CN=PSEOwner", pse.name)
        }
    }

    func testEachPSEEncodesBackByteForByte() throws {
        for pse in Self.pses {
            let bytes = try SAPTestData.bytes(pse.name)
            let file = try PSEFile.decode(bytes, pin: pse.pin)
            XCTAssertEqual(try file.encoded(pin: pse.pin), bytes, pse.name)
        }
    }

    func testEachPSEsPrivateKeySignsWhatItsCertificateVerifies() throws {
        for pse in Self.pses {
            let content = try PSEFile.decode(SAPTestData.bytes(pse.name), pin: pse.pin).content
            let key = try XCTUnwrap(content.privateKey(), pse.name)
            let certificate = try Certificate(derEncoded: SAPTestData.bytes(pse.certificate))
            let publicKey = try XCTUnwrap(_RSA.Signing.PublicKey(certificate.publicKey))
            let message = Array("signed with \(pse.name)".utf8)
            let signature = try key.signature(for: message, padding: .insecurePKCS1v1_5)
            XCTAssertTrue(publicKey.isValidSignature(signature, for: message, padding: .insecurePKCS1v1_5), pse.name)
            XCTAssertFalse(publicKey.isValidSignature(signature, for: Array("something else".utf8), padding: .insecurePKCS1v1_5))
        }
    }

    func testPINProtectedPSEsRefuseAWrongPINAndAMissingOne() throws {
        for pse in Self.pses where pse.pin != nil {
            XCTAssertThrowsError(try PSEFile.decode(SAPTestData.bytes(pse.name), pin: "1234567890")) { error in
                XCTAssertEqual(error as? PSEKitError, .wrongPIN, pse.name)
            }
            XCTAssertThrowsError(try PSEFile.decode(SAPTestData.bytes(pse.name), pin: nil)) { error in
                XCTAssertEqual(error as? PSEKitError, .pinRequired, pse.name)
            }
        }
    }

    /// The PSE SAP's tools sign SAR manifests with: its PIN is not public, so psekit must know
    /// its layout and refuse a wrong PIN cleanly, with the file unchanged.
    func testManifestSignerPSEIsRecognisedAndAWrongPINIsRefused() throws {
        let bytes = try SAPTestData.bytes("manifest_test_signer.pse")
        let layout = try PSEFile.layout(of: bytes)
        XCTAssertEqual(layout, .v2Encrypted)
        XCTAssertTrue(layout.isPINProtected)
        for pin in ["", "1234567980", "wrong"] {
            XCTAssertThrowsError(try PSEFile.decode(bytes, pin: pin)) { error in
                XCTAssertEqual(error as? PSEKitError, .wrongPIN, "PIN \(pin)")
            }
        }
        XCTAssertThrowsError(try PSEFile.decode(bytes, pin: nil)) { error in
            XCTAssertEqual(error as? PSEKitError, .pinRequired)
        }
    }

    // MARK: - cred_v2

    /// Every `cred_v2` file: one credential for `/secudir/pse-v2-noreq-DSA-1024-SHA1.pse` (with a
    /// Windows path in the `dp` files, written on Windows), its subject (in SAP's order, as
    /// sapgenpse prints names), protection and cipher. Under LPS fallback the PIN is encrypted
    /// with the content key the blob unwraps, 16 bytes in SAP's files, so AES-128 whatever the
    /// file names say.
    static let credentials: [(name: String, path: String, subject: String, protection: String, cipher: String, opens: Bool)] = [
        ("credv2_lps_off_v0_3des", unixPath, "CN=PSEOwner", "LPS off", "3DES (format 0)", true),
        ("credv2_lps_off_v1_3des", unixPath, "CN=PSEOwner", "LPS off", "3DES", true),
        ("credv2_lps_off_v1_aes256", unixPath, "CN=PSEOwner", "LPS off", "AES-256", true),
        ("credv2_lps_on_v2_int_aes256", unixPath, "CN=PSEOwner", "LPS fallback", "AES-128", true),
        ("credv2_lps_on_v2_int_aes256_composed_subject", unixPath, "CN=PSEOwner, C=AR", "LPS fallback", "AES-128", true),
        ("credv2_lps_on_v2_dp_aes256", windowsPath, "CN=PSEOwner", "LPS DPAPI", "AES", false),
        // LPS off, but the "PIN" inside is a Windows DPAPI blob (provider MSCryptProtect).
        ("credv2_lps_off_v0_dp_3des", windowsPath, "CN=PSEOwner", "LPS off", "3DES (format 0)", false),
        ("credv2_lps_off_v1_dp_aes256", windowsPath, "CN=PSEOwner", "LPS off", "AES-256", false),
    ]
    static let unixPath = "/secudir/pse-v2-noreq-DSA-1024-SHA1.pse"
    static let windowsPath = #"C:\secudir\pse-v2-noreq-DSA-1024-SHA1.pse"#

    func testEachCredentialFileListsItsEntry() throws {
        for expected in Self.credentials {
            let file = try CredentialsFile(derEncoded: SAPTestData.bytes(expected.name))
            XCTAssertEqual(file.credentials.count, 1, expected.name)
            let credential = try XCTUnwrap(file.credentials.first)
            XCTAssertEqual(credential.psePath, expected.path, expected.name)
            XCTAssertEqual(credential.subject, expected.subject, expected.name)
            XCTAssertEqual(credential.protection.description, expected.protection, expected.name)
            XCTAssertEqual(credential.cipherDescription, expected.cipher, expected.name)
        }
    }

    func testEachCredentialFileEncodesBackByteForByte() throws {
        for name in Self.credentials.map(\.name) {
            let bytes = try SAPTestData.bytes(name)
            XCTAssertEqual(try CredentialsFile(derEncoded: bytes).serializedBytes(), bytes, name)
        }
    }

    func testPINsComeOutWhereNoLPSOrSAPsFallbackAllowsIt() throws {
        for expected in Self.credentials where expected.opens {
            let file = try CredentialsFile(derEncoded: SAPTestData.bytes(expected.name))
            let credential = try XCTUnwrap(file.credentials.first)
            XCTAssertEqual(try credential.decrypt(forUser: SAPTestData.credentialUser).pin, SAPTestData.credentialPIN, expected.name)
            XCTAssertEqual(try file.secret(forPSEAt: expected.path, user: SAPTestData.credentialUser)?.pin,
                           SAPTestData.credentialPIN, expected.name)
            XCTAssertThrowsError(try credential.decrypt(forUser: "someoneelse"), expected.name)
        }
    }

    /// Entries written on Windows with DPAPI: their content is a DPAPI blob only that Windows
    /// account can open. Named as such, never handed out as a PIN.
    func testDPAPIWrappedLPSOffEntriesAreNamedAndNeverYieldAPIN() throws {
        for name in ["credv2_lps_off_v0_dp_3des", "credv2_lps_off_v1_dp_aes256"] {
            let file = try CredentialsFile(derEncoded: SAPTestData.bytes(name))
            let credential = try XCTUnwrap(file.credentials.first)
            XCTAssertTrue(try credential.decrypt(forUser: SAPTestData.credentialUser).isWindowsDPAPIProtected, name)
            XCTAssertThrowsError(try file.secret(forPSEAt: Self.windowsPath, user: SAPTestData.credentialUser), name) { error in
                XCTAssertEqual(error as? PSEKitError, .windowsDPAPIProtected, name)
            }
        }
    }

    /// An entry protected by Windows DPAPI under LPS can only be opened by that Windows account:
    /// it is named as such and never yields a PIN here.
    func testDPAPIProtectedLPSEntryIsNamedAndNeverYieldsAPIN() throws {
        let file = try CredentialsFile(derEncoded: SAPTestData.bytes("credv2_lps_on_v2_dp_aes256"))
        let credential = try XCTUnwrap(file.credentials.first)
        guard case .lps(let lps) = credential else { return XCTFail("\(credential)") }
        XCTAssertEqual(try lps.lpsBlob().protection, .dpapi)
        XCTAssertThrowsError(try credential.decrypt(forUser: SAPTestData.credentialUser))
    }
}
