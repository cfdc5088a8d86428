import Foundation
import PSELegacyCrypto
import XCTest

/// Cross-checks the legacy ciphers and the PKCS#12 key derivation against OpenSSL.
final class LegacyCryptoInteropTests: XCTestCase {
    private static let legacyProvider = ["-provider", "legacy", "-provider", "default"]

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    private func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.filter(\.isHexDigit))
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    /// Deterministic pseudo-random bytes (a linear congruential generator), so failures are reproducible.
    private func sample(_ count: Int, seed: UInt32) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
    }

    func testTripleDESMatchesOpenSSL() throws {
        for (index, length) in [0, 1, 8, 15, 64, 1000].enumerated() {
            let key = sample(24, seed: UInt32(index + 1)), iv = sample(8, seed: UInt32(index + 100))
            let plaintext = sample(length, seed: UInt32(index + 200))
            let openssl = try ExternalTools.openssl(["enc", "-des-ede3-cbc", "-K", hex(key), "-iv", hex(iv)],
                                                    stdin: Data(plaintext))
            let ours = try TripleDESCBC.encrypt(plaintext, key: key, iv: iv)
            XCTAssertEqual(ours, [UInt8](openssl.stdout), "length \(length)")
            XCTAssertEqual(try TripleDESCBC.decrypt([UInt8](openssl.stdout), key: key, iv: iv), plaintext)
        }
    }

    func testTwoKeyTripleDESMatchesOpenSSL() throws {
        let key = sample(16, seed: 7), iv = sample(8, seed: 8), plaintext = sample(50, seed: 9)
        let openssl = try ExternalTools.openssl(["enc", "-des-ede-cbc", "-K", hex(key), "-iv", hex(iv)] + Self.legacyProvider,
                                                stdin: Data(plaintext))
        XCTAssertEqual(try TripleDESCBC.encrypt(plaintext, key: key, iv: iv), [UInt8](openssl.stdout))
    }

    func testTripleDESDecryptsOpenSSLWithoutPadding() throws {
        let key = sample(24, seed: 11), iv = sample(8, seed: 12), plaintext = sample(32, seed: 13)
        let openssl = try ExternalTools.openssl(["enc", "-des-ede3-cbc", "-nopad", "-K", hex(key), "-iv", hex(iv)],
                                                stdin: Data(plaintext))
        XCTAssertEqual(try TripleDESCBC.encryptBlocks(plaintext, key: key, iv: iv), [UInt8](openssl.stdout))
        XCTAssertEqual(try TripleDESCBC.decryptBlocks([UInt8](openssl.stdout), key: key, iv: iv), plaintext)
    }

    func testRC2MatchesOpenSSL() throws {
        // openssl -rc2-40-cbc: 5-byte key, 40 effective bits; -rc2-64-cbc: 8 bytes, 64 bits; -rc2-cbc: 16 bytes, 128 bits.
        let ciphers: [(name: String, keyLength: Int, bits: Int)] = [("rc2-40-cbc", 5, 40), ("rc2-64-cbc", 8, 64), ("rc2-cbc", 16, 128)]
        for (index, cipher) in ciphers.enumerated() {
            for length in [0, 7, 8, 100] {
                let key = sample(cipher.keyLength, seed: UInt32(31 + index)), iv = sample(8, seed: UInt32(41 + index))
                let plaintext = sample(length, seed: UInt32(51 + length))
                let openssl = try ExternalTools.openssl(["enc", "-\(cipher.name)", "-K", hex(key), "-iv", hex(iv)] + Self.legacyProvider,
                                                        stdin: Data(plaintext))
                let ours = try RC2CBC.encrypt(plaintext, key: key, effectiveKeyBits: cipher.bits, iv: iv)
                XCTAssertEqual(ours, [UInt8](openssl.stdout), "\(cipher.name) length \(length)")
                XCTAssertEqual(try RC2CBC.decrypt([UInt8](openssl.stdout), key: key, effectiveKeyBits: cipher.bits, iv: iv), plaintext)
            }
        }
    }

    /// `openssl kdf PKCS12KDF` takes the password already as UTF-16BE with the terminator.
    func testKeyDerivationMatchesOpenSSLForEveryHash() throws {
        let hashes: [(PKCS12KeyDerivation.Hash, String)] = [(.sha1, "SHA1"), (.sha256, "SHA256"), (.sha384, "SHA384"), (.sha512, "SHA512")]
        let purposes: [PKCS12KeyDerivation.Purpose] = [.encryptionKey, .iv, .macKey]
        let password = PKCS12KeyDerivation.passwordBytes("Pässwort 1234"), salt = sample(16, seed: 99)
        for (hash, name) in hashes {
            for purpose in purposes {
                for (iterations, length) in [(1, 24), (2048, 100)] {
                    let result = try ExternalTools.openssl([
                        "kdf", "-keylen", "\(length)", "-kdfopt", "digest:\(name)", "-kdfopt", "hexpass:\(hex(password))",
                        "-kdfopt", "hexsalt:\(hex(salt))", "-kdfopt", "iter:\(iterations)", "-kdfopt", "id:\(purpose.rawValue)",
                        "PKCS12KDF",
                    ])
                    let ours = PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: iterations,
                                                          purpose: purpose, length: length, hash: hash)
                    XCTAssertEqual(hex(ours), result.out.filter(\.isHexDigit).lowercased(), "\(name) id \(purpose.rawValue) \(iterations)")
                }
            }
        }
    }
}
