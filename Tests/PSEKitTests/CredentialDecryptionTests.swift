import SwiftASN1
import XCTest
@testable import PSEKit

final class CredentialDecryptionTests: XCTestCase {
    private func vectorCredential(_ name: String) throws -> Credential {
        try XCTUnwrap(CredentialsFile(derEncoded: CredentialVectors.bytes(name)).credentials.first)
    }

    func testLPSOffVectorDecryptsForItsUser() throws {
        let secret = try vectorCredential(CredentialVectors.lpsOff).decrypt(forUser: CredentialVectors.user)
        XCTAssertEqual(secret.pin, CredentialVectors.pin)
        XCTAssertNil(secret.option1)
    }

    func testLPSFallbackVectorDecryptsForItsUser() throws {
        let secret = try vectorCredential(CredentialVectors.lpsFallback).decrypt(forUser: CredentialVectors.user)
        XCTAssertEqual(secret.pin, CredentialVectors.pin)
        guard case .lps(let lps) = try vectorCredential(CredentialVectors.lpsFallback) else { return XCTFail() }
        let data = try lps.lpsBlob().decryptData()
        XCTAssertEqual(data.count, 16)
        XCTAssertEqual(Int(data[0]), 5, "one length byte, 5 random bytes, then the 10-byte PIN")
        XCTAssertEqual(Array(data[6...]), Array(CredentialVectors.pin.utf8))
    }

    func testWrongUserFails() throws {
        for user in ["usernamf", "root", "", "Username"] {
            XCTAssertThrowsError(try vectorCredential(CredentialVectors.lpsOff).decrypt(forUser: user), user) { error in
                XCTAssertEqual(error as? PSEKitError, .credentialDecryptionFailed(user: user))
                XCTAssertFalse("\(error)".contains(CredentialVectors.pin))
            }
            XCTAssertThrowsError(try vectorCredential(CredentialVectors.lpsFallback).decrypt(forUser: user), user) { error in
                XCTAssertEqual(error as? PSEKitError, .lpsRestrictedToAnotherUser(restriction: "(user=username)", user: user))
            }
        }
    }

    func testVectorDecryptionMatchesAKnownIntermediate() throws {
        // The key derivation and scramble give, for the vector, a plaintext that is the DER of
        // SEQUENCE { IA5String "1234567890" } (checked with pysap's own decryption).
        guard case .v1(let v1) = try vectorCredential(CredentialVectors.lpsOff) else { return XCTFail() }
        let salt = Array(v1.cipher[4..<20])
        let key = CredentialScramble.formatOneKey(header: Array(v1.cipher[0..<4]), salt: salt, user: "username")
        XCTAssertEqual(key.count, 32)
        var serializer = DER.Serializer()
        try serializer.serialize(CredentialSecret(pin: CredentialVectors.pin))
        XCTAssertEqual(serializer.serializedBytes, [0x30, 0x0C, 0x16, 0x0A] + Array("1234567890".utf8))
    }

    func testScrambleIsItsOwnInverseAndMatchesTheDefinition() {
        let input: [UInt8] = Array(0..<40)
        let scrambled = CredentialScramble.scramble(input, start: 0x64FB_914E)
        XCTAssertNotEqual(scrambled, input)
        XCTAssertEqual(CredentialScramble.scramble(scrambled, start: 0x64FB_914E), input)
        // x = 7 * 0x15a4e35 + 1 = 0x9782_1F34 -> 0x34; next x = 0x97821F34 * 0x15a4e35 + 1 (mod 2^32).
        let first = UInt32(7) &* 0x015A_4E35 &+ 1
        let second = first &* 0x015A_4E35 &+ 1
        XCTAssertEqual(CredentialScramble.scramble([0, 0], start: 7),
                       [UInt8(truncatingIfNeeded: first), UInt8(truncatingIfNeeded: second)])
    }

    func testFormatZeroKeyReplacesThePlaceholder() {
        XCTAssertEqual(CredentialScramble.formatZeroKey(user: "username"), Array("240657rsga&/usernamerwth".utf8))
        XCTAssertEqual(CredentialScramble.formatZeroKey(user: ""), Array("240657rsga&/rwthgrtawe45".utf8))
    }

    func testAES256RoundTripWithRandomSaltAndIV() throws {
        let secret = CredentialSecret(pin: "s3cret PIN")
        let first = try CredentialV1Cipher.encrypt(secret, forUser: "alice")
        let second = try CredentialV1Cipher.encrypt(secret, forUser: "alice")
        XCTAssertNotEqual(first.blob, second.blob, "salt and IV are random")
        XCTAssertEqual(Array(first.blob[0..<4]), [1, 1, 0, 0])
        XCTAssertEqual(first.format, .one)
        XCTAssertEqual(first.algorithm, .aes256)
        XCTAssertEqual((first.blob.count - 36) % 16, 0)
        XCTAssertEqual(try first.decrypt(forUser: "alice"), secret)
        XCTAssertEqual(try second.decrypt(forUser: "alice"), secret)
        XCTAssertThrowsError(try first.decrypt(forUser: "bob"))
    }

    func testAES256WithFixedSaltAndIVReproducesTheVector() throws {
        guard case .v1(let v1) = try vectorCredential(CredentialVectors.lpsOff) else { return XCTFail() }
        let rebuilt = try CredentialV1Cipher.encrypt(CredentialSecret(pin: CredentialVectors.pin), forUser: "username",
                                                     salt: Array(v1.cipher[4..<20]), iv: Array(v1.cipher[20..<36]))
        XCTAssertEqual(rebuilt.blob, v1.cipher)
    }

    func testTripleDESFormatOneRoundTrip() throws {
        let secret = CredentialSecret(pin: "12345678901234567890", option1: "MSCryptProtect")
        let cipher = try CredentialV1Cipher.encrypt(secret, forUser: "bob", algorithm: .tripleDES)
        XCTAssertEqual(Array(cipher.blob[0..<4]), [1, 0, 0, 0])
        XCTAssertEqual(cipher.algorithm, .tripleDES)
        XCTAssertEqual(try cipher.decrypt(forUser: "bob"), secret)
        XCTAssertThrowsError(try cipher.decrypt(forUser: "alice"))
        let credential = Credential.v1(CredentialV1(subject: "CN=B", psePath: "/b.pse", cipher: cipher.blob))
        XCTAssertEqual(credential.cipherDescription, "3DES")
    }

    func testFormatZeroRoundTrip() throws {
        let secret = CredentialSecret(pin: "1234567890")
        let cipher = try CredentialV1Cipher.encryptFormatZero(secret, forUser: "username")
        XCTAssertEqual(cipher.format, .zero)
        XCTAssertEqual(try cipher.decrypt(forUser: "username"), secret)
        XCTAssertThrowsError(try cipher.decrypt(forUser: "nobody"))
        let credential = Credential.v1(CredentialV1(subject: "CN=B", psePath: "/b.pse", cipher: cipher.blob))
        XCTAssertEqual(credential.cipherDescription, "3DES (format 0)")
    }

    func testUnknownAlgorithmIsReported() throws {
        var blob = try CredentialV1Cipher.encrypt(CredentialSecret(pin: "1"), forUser: "u").blob
        blob[1] = 7
        XCTAssertThrowsError(try CredentialV1Cipher(blob: blob).decrypt(forUser: "u")) { error in
            XCTAssertEqual(error as? PSEKitError, .unsupportedCredentialCipher(7))
        }
    }

    func testSecretDescriptionHidesThePIN() {
        let secret = CredentialSecret(pin: "topsecret", option1: "MSCryptProtect")
        XCTAssertFalse("\(secret)".contains("topsecret"))
        XCTAssertFalse(String(reflecting: secret).contains("topsecret"))
    }

    func testCRC32MatchesZlib() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
    }

    func testLPSBlobChecksumIsVerified() throws {
        guard case .lps(let lps) = try vectorCredential(CredentialVectors.lpsFallback) else { return XCTFail() }
        var damaged = lps.cipher
        damaged[40] ^= 0x01
        XCTAssertThrowsError(try LPSBlob(bytes: damaged)) { error in
            XCTAssertEqual((error as? PSEKitError)?.code, .lpsChecksumMismatch)
            XCTAssertTrue("\(error)".contains("stored CRC-32 C9FB39A2"), "\(error)")
        }
        XCTAssertThrowsError(try LPSBlob(bytes: Array(lps.cipher.dropLast(5)))) { error in
            guard (error as? PSEKitError)?.code == .malformedLPSBlob else { return XCTFail("\(error)") }
        }
    }

    func testDPAPIAndTPMBlobsListButDoNotDecrypt() throws {
        guard case .lps(let lps) = try vectorCredential(CredentialVectors.lpsFallback) else { return XCTFail() }
        for (type, name) in [(UInt8(1), "DPAPI"), (UInt8(2), "TPM")] {
            var blob = Array(lps.cipher.dropLast(4))
            blob[1] = type
            let crc = CRC32.checksum(blob)
            blob += [UInt8(crc >> 24), UInt8(truncatingIfNeeded: crc >> 16), UInt8(truncatingIfNeeded: crc >> 8),
                     UInt8(truncatingIfNeeded: crc)]
            var modified = lps
            modified.cipher = blob
            let credential = Credential.lps(modified)
            XCTAssertEqual(credential.protection.description, "LPS \(name)")
            XCTAssertEqual(credential.cipherDescription, "AES")
            XCTAssertEqual(credential.psePath, CredentialVectors.psePath)
            XCTAssertThrowsError(try credential.decrypt(forUser: "username")) { error in
                XCTAssertEqual(error as? PSEKitError, .lpsProtectionNotDecryptable(name))
                XCTAssertTrue("\(error)".contains(name))
            }
        }
    }
}
