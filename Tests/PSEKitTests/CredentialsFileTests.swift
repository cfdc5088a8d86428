import Foundation
import SwiftASN1
import TestSupport
import XCTest
@testable import PSEKit

final class CredentialsFileTests: XCTestCase {
    func testLPSOffVectorLists() throws {
        let file = try CredentialsFile(derEncoded: CredentialVectors.bytes(CredentialVectors.lpsOff))
        XCTAssertEqual(file.credentials.count, 1)
        let credential = try XCTUnwrap(file.credentials.first)
        guard case .v1(let v1) = credential else { return XCTFail("expected an LPS-off credential, got \(credential)") }
        XCTAssertEqual(v1.subject, CredentialVectors.subject)
        XCTAssertEqual(v1.unknown1, "")
        XCTAssertEqual(v1.unknown2, "")
        XCTAssertEqual(credential.subject, CredentialVectors.subject)
        XCTAssertEqual(credential.psePath, CredentialVectors.psePath)
        XCTAssertEqual(credential.protection, .lpsOff)
        XCTAssertEqual(credential.protection.description, "LPS off")
        XCTAssertEqual(credential.cipherDescription, "AES-256")
        let cipher = CredentialV1Cipher(blob: v1.cipher)
        XCTAssertEqual(cipher.format, .one)
        XCTAssertEqual(cipher.algorithm, .aes256)
    }

    func testLPSFallbackVectorLists() throws {
        let file = try CredentialsFile(derEncoded: CredentialVectors.bytes(CredentialVectors.lpsFallback))
        XCTAssertEqual(file.credentials.count, 1)
        let credential = try XCTUnwrap(file.credentials.first)
        guard case .lps(let lps) = credential else { return XCTFail("expected an LPS credential, got \(credential)") }
        XCTAssertEqual(lps.version, 2)
        XCTAssertEqual(credential.subject, CredentialVectors.subject)
        XCTAssertEqual(credential.psePath, CredentialVectors.psePath)
        XCTAssertEqual(credential.protection, .lps(.fallback))
        XCTAssertEqual(credential.protection.description, "LPS fallback")
        XCTAssertEqual(credential.cipherDescription, "AES-128")
        let blob = try lps.lpsBlob()
        XCTAssertEqual(blob.contextText, "CredEncryption")
        XCTAssertEqual(blob.restrictionText, "(user=username)")
        XCTAssertEqual(blob.restrictedUser, "username")
        XCTAssertEqual(blob.checksum, 0xC9FB_39A2)
    }

    func testVectorsReencodeByteForByte() throws {
        for name in [CredentialVectors.lpsOff, CredentialVectors.lpsFallback] {
            let bytes = try CredentialVectors.bytes(name)
            XCTAssertEqual(try CredentialsFile(derEncoded: bytes).serializedBytes(), bytes, name)
        }
    }

    func testUnrecognizedEntriesAreKeptUnchanged() throws {
        let off = try CredentialsFile(derEncoded: CredentialVectors.bytes(CredentialVectors.lpsOff))
        let lps = try CredentialsFile(derEncoded: CredentialVectors.bytes(CredentialVectors.lpsFallback))
        // SEQUENCE { INTEGER 7, OCTET STRING 'AB' } and SEQUENCE { IA5String "x" }: neither shape.
        let strange1: [UInt8] = [0x30, 0x07, 0x02, 0x01, 0x07, 0x04, 0x02, 0x41, 0x42]
        let strange2: [UInt8] = [0x30, 0x03, 0x16, 0x01, 0x78]
        var combined = off.credentials.first.map { try! derBytes($0) }!
        combined += strange1
        combined += lps.credentials.first.map { try! derBytes($0) }!
        combined += strange2
        var wrapper = DER.Serializer()
        wrapper.appendConstructedNode(identifier: .sequence) { $0.serializeRawBytes(combined) }
        let fileBytes = wrapper.serializedBytes
        let file = try CredentialsFile(derEncoded: fileBytes)
        XCTAssertEqual(file.credentials.count, 4)
        guard case .unrecognized = file.credentials[1], case .unrecognized = file.credentials[3] else {
            return XCTFail("the strange entries should be unrecognized: \(file.credentials)")
        }
        XCTAssertNil(file.credentials[1].psePath)
        XCTAssertEqual(file.credentials[1].protection, .unrecognized)
        XCTAssertThrowsError(try file.credentials[1].decrypt(forUser: "username")) { error in
            XCTAssertEqual(error as? PSEKitError, .unrecognizedCredential)
        }
        XCTAssertEqual(try file.serializedBytes(), fileBytes)
        // Storing a new credential keeps them too.
        var edited = file
        try edited.store(pin: "0000", forUser: "other", subject: "CN=X", psePath: "/tmp/x.pse")
        let reread = try CredentialsFile(derEncoded: edited.serializedBytes())
        XCTAssertEqual(reread.credentials.count, 5)
        XCTAssertEqual(try derBytes(reread.credentials[1]), strange1)
        XCTAssertEqual(try derBytes(reread.credentials[3]), strange2)
    }

    func testEmptyAndMalformedFiles() throws {
        XCTAssertEqual(try CredentialsFile(derEncoded: []).credentials.count, 0)
        XCTAssertEqual(try CredentialsFile(derEncoded: [0x30, 0x00]).credentials.count, 0)
        XCTAssertEqual(try CredentialsFile().serializedBytes(), [0x30, 0x00])
        XCTAssertThrowsError(try CredentialsFile(derEncoded: [0x04, 0x01, 0x00])) { error in
            guard (error as? PSEKitError)?.code == .malformedCredentialsFile else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try CredentialsFile(derEncoded: [0x30, 0x05, 0x01])) { error in
            guard (error as? PSEKitError)?.code == .malformedCredentialsFile else { return XCTFail("\(error)") }
        }
    }

    func testStoreReplacesOnlyTheSameUsersCredentialForThatPSE() throws {
        var file = CredentialsFile()
        try file.store(pin: "first", forUser: "alice", subject: "CN=A", psePath: "/p/a.pse")
        try file.store(pin: "bob's", forUser: "bob", subject: "CN=A", psePath: "/p/a.pse")
        try file.store(pin: "other", forUser: "alice", subject: "CN=B", psePath: "/p/b.pse")
        try file.store(pin: "second", forUser: "alice", subject: "CN=A", psePath: "/p/a.pse")
        XCTAssertEqual(file.credentials.count, 3)
        XCTAssertEqual(try file.secret(forPSEAt: "/p/a.pse", user: "alice")?.pin, "second")
        XCTAssertEqual(try file.secret(forPSEAt: "/p/a.pse", user: "bob")?.pin, "bob's")
        XCTAssertEqual(try file.secret(forPSEAt: "/p/b.pse", user: "alice")?.pin, "other")
        XCTAssertNil(try file.secret(forPSEAt: "/p/b.pse", user: "bob"))
        XCTAssertNil(try file.secret(forPSEAt: "/p/c.pse", user: "alice"))

        XCTAssertEqual(file.remove(forPSEAt: "/p/a.pse", user: "alice"), 1)
        XCTAssertNil(try file.secret(forPSEAt: "/p/a.pse", user: "alice"))
        XCTAssertEqual(try file.secret(forPSEAt: "/p/a.pse", user: "bob")?.pin, "bob's")
        XCTAssertEqual(file.remove(forPSEAt: "/p/a.pse", user: "alice"), 0)
        XCTAssertEqual(file.credentials.count, 2)
    }

    func testSecretLookupInVectors() throws {
        let off = try CredentialsFile(derEncoded: CredentialVectors.bytes(CredentialVectors.lpsOff))
        XCTAssertEqual(try off.secret(forPSEAt: CredentialVectors.psePath, user: "username")?.pin, "1234567890")
        XCTAssertNil(try off.secret(forPSEAt: CredentialVectors.psePath, user: "someoneelse"))
        let lps = try CredentialsFile(derEncoded: CredentialVectors.bytes(CredentialVectors.lpsFallback))
        XCTAssertEqual(try lps.secret(forPSEAt: CredentialVectors.psePath, user: "username")?.pin, "1234567890")
        XCTAssertNil(try lps.secret(forPSEAt: CredentialVectors.psePath, user: "someoneelse"))
    }

    func testNonASCIIFieldsAreRejectedClearly() throws {
        XCTAssertThrowsError(try Credential.make(pin: "1234", forUser: "u", subject: "CN=X", psePath: "/tmp/ü.pse")) { error in
            XCTAssertEqual(error as? PSEKitError, .notRepresentable(field: "PSE path"))
        }
        XCTAssertThrowsError(try Credential.make(pin: "pïn", forUser: "u", subject: "CN=X", psePath: "/tmp/x.pse")) { error in
            XCTAssertEqual(error as? PSEKitError, .notRepresentable(field: "PIN"))
            XCTAssertFalse("\(error)".contains("pïn"))
        }
    }

    private func derBytes(_ credential: Credential) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(credential)
        return serializer.serializedBytes
    }
}


/// SAP's `cred_v2` files (pysap's test data, `SAPTestData`).
enum CredentialVectors {
    static let user = SAPTestData.credentialUser
    static let pin = SAPTestData.credentialPIN
    static let subject = "CN=PSEOwner"
    static let psePath = "/secudir/pse-v2-noreq-DSA-1024-SHA1.pse"
    static let lpsOff = "credv2_lps_off_v1_aes256"
    static let lpsFallback = "credv2_lps_on_v2_int_aes256"

    static func bytes(_ name: String) throws -> [UInt8] { try SAPTestData.bytes(name) }
}
