import PSELegacyCrypto
import XCTest

final class TripleDESTests: XCTestCase {
    /// NIST SP 800-67 Rev. 1, Appendix B: three-key TDEA in ECB mode (one CBC call per block, zero IV).
    func testSP80067ThreeKeyExample() throws {
        let key = Hex.bytes("0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123")
        let plaintext = Hex.bytes("5468652071756663 6B2062726F776E20 666F78206A756D70")
        let expected = Hex.bytes("A826FD8CE53B855F CCE21C8112256FE6 68D5C05DD9B6B900")
        for block in 0..<3 {
            let range = (8 * block)..<(8 * block + 8)
            let ciphertext = try TripleDESCBC.encryptBlocks(Array(plaintext[range]), key: key, iv: [UInt8](repeating: 0, count: 8))
            XCTAssertEqual(ciphertext, Array(expected[range]), "block \(block)")
            let decrypted = try TripleDESCBC.decryptBlocks(ciphertext, key: key, iv: [UInt8](repeating: 0, count: 8))
            XCTAssertEqual(decrypted, Array(plaintext[range]))
        }
    }

    /// NIST SP 800-20 known-answer tests (single DES, i.e. TDEA with K1 = K2 = K3) and the classic
    /// FIPS 46 textbook example.
    func testSP80020KnownAnswers() throws {
        let cases: [(key: String, plaintext: String, ciphertext: String)] = [
            ("0101010101010101", "8000000000000000", "95F8A5E5DD31D900"),  // variable plaintext, round 1
            ("0101010101010101", "4000000000000000", "DD7F121CA5015619"),  // variable plaintext, round 2
            ("0101010101010101", "0000000000000001", "166B40B44ABA4BD6"),  // variable plaintext, round 64
            ("8001010101010101", "0000000000000000", "95A8D72813DAA94D"),  // variable key, round 1
            ("4001010101010101", "0000000000000000", "0EEC1487DD8C26D5"),  // variable key, round 2
            ("133457799BBCDFF1", "0123456789ABCDEF", "85E813540F0AB405"),  // textbook example
        ]
        let zeroIV = [UInt8](repeating: 0, count: 8)
        for testCase in cases {
            let singleKey = Hex.bytes(testCase.key)
            let key = singleKey + singleKey + singleKey
            XCTAssertEqual(try TripleDESCBC.encryptBlocks(Hex.bytes(testCase.plaintext), key: key, iv: zeroIV),
                           Hex.bytes(testCase.ciphertext), "key \(testCase.key) plaintext \(testCase.plaintext)")
            XCTAssertEqual(try TripleDESCBC.decryptBlocks(Hex.bytes(testCase.ciphertext), key: key, iv: zeroIV),
                           Hex.bytes(testCase.plaintext))
            // The two-key form with K1 = K2 is single DES as well.
            XCTAssertEqual(try TripleDESCBC.encryptBlocks(Hex.bytes(testCase.plaintext), key: singleKey + singleKey, iv: zeroIV),
                           Hex.bytes(testCase.ciphertext))
        }
    }

    func testTwoKeyFormUsesFirstKeyAsThird() throws {
        let k1 = Hex.bytes("0123456789ABCDEF"), k2 = Hex.bytes("23456789ABCDEF01")
        let iv = Hex.bytes("1122334455667788")
        let plaintext = Array("two-key triple DES, K3 = K1".utf8)
        XCTAssertEqual(try TripleDESCBC.encrypt(plaintext, key: k1 + k2, iv: iv),
                       try TripleDESCBC.encrypt(plaintext, key: k1 + k2 + k1, iv: iv))
    }

    func testCBCChainingAndPaddingRoundTrip() throws {
        let key = Hex.bytes("0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123")
        let iv = Hex.bytes("F0E1D2C3B4A59687")
        for length in [0, 1, 7, 8, 9, 16, 100] {
            let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 5) }
            let ciphertext = try TripleDESCBC.encrypt(plaintext, key: key, iv: iv)
            XCTAssertEqual(ciphertext.count, (length / 8 + 1) * 8, "a whole padding block is added when needed")
            XCTAssertEqual(try TripleDESCBC.decrypt(ciphertext, key: key, iv: iv), plaintext)
        }
        // Identical plaintext blocks give different ciphertext blocks under CBC.
        let repeated = try TripleDESCBC.encryptBlocks([UInt8](repeating: 0x41, count: 16), key: key, iv: iv)
        XCTAssertNotEqual(Array(repeated[0..<8]), Array(repeated[8..<16]))
    }

    func testInvalidInputsAreRejected() {
        let key = [UInt8](repeating: 1, count: 24), iv = [UInt8](repeating: 0, count: 8)
        XCTAssertThrowsError(try TripleDESCBC.encrypt([1], key: [UInt8](repeating: 1, count: 8), iv: iv)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidKeyLength)
        }
        XCTAssertThrowsError(try TripleDESCBC.encrypt([1], key: key, iv: [0, 0, 0])) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidIVLength)
        }
        XCTAssertThrowsError(try TripleDESCBC.encryptBlocks([1, 2, 3], key: key, iv: iv)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidDataLength)
        }
        XCTAssertThrowsError(try TripleDESCBC.decrypt([], key: key, iv: iv)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidDataLength)
        }
    }

    func testWrongKeyGivesBadPadding() throws {
        let iv = Hex.bytes("0001020304050607")
        let ciphertext = try TripleDESCBC.encrypt(Array("secret content".utf8), key: [UInt8](repeating: 7, count: 24), iv: iv)
        // A block whose last byte decrypts to a valid padding value is possible but rare; this key is checked not to.
        XCTAssertThrowsError(try TripleDESCBC.decrypt(ciphertext, key: [UInt8](repeating: 9, count: 24), iv: iv)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .badPadding)
        }
        // A padding byte of 0 or above 8 is refused.
        let zeroIV = [UInt8](repeating: 0, count: 8)
        let key = [UInt8](repeating: 7, count: 24)
        let badPadding = try TripleDESCBC.encryptBlocks([1, 2, 3, 4, 5, 6, 7, 0], key: key, iv: zeroIV)
        XCTAssertThrowsError(try TripleDESCBC.decrypt(badPadding, key: key, iv: zeroIV)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .badPadding)
        }
        let inconsistent = try TripleDESCBC.encryptBlocks([1, 2, 3, 4, 5, 6, 2, 3], key: key, iv: zeroIV)
        XCTAssertThrowsError(try TripleDESCBC.decrypt(inconsistent, key: key, iv: zeroIV)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .badPadding)
        }
    }
}
