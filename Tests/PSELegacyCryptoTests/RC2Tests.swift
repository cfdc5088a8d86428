import PSELegacyCrypto
import XCTest

final class RC2Tests: XCTestCase {
    /// RFC 2268 section 5: the eight test vectors (ECB, run here as one CBC block with a zero IV,
    /// which is the same thing). Padding is then one extra block, which is dropped for the comparison.
    func testRFC2268Vectors() throws {
        let vectors: [(key: String, bits: Int, plaintext: String, ciphertext: String)] = [
            ("0000000000000000", 63, "0000000000000000", "ebb773f993278eff"),
            ("ffffffffffffffff", 64, "ffffffffffffffff", "278b27e42e2f0d49"),
            ("3000000000000000", 64, "1000000000000001", "30649edf9be7d2c2"),
            ("88", 64, "0000000000000000", "61a8a244adacccf0"),
            ("88bca90e90875a", 64, "0000000000000000", "6ccf4308974c267f"),
            ("88bca90e90875a7f0f79c384627bafb2", 64, "0000000000000000", "1a807d272bbe5db1"),
            ("88bca90e90875a7f0f79c384627bafb2", 128, "0000000000000000", "2269552ab0f85ca6"),
            ("88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e", 129,
             "0000000000000000", "5b78d3a43dfff1f1"),
        ]
        let zeroIV = [UInt8](repeating: 0, count: 8)
        for vector in vectors {
            let ciphertext = try RC2CBC.encrypt(Hex.bytes(vector.plaintext), key: Hex.bytes(vector.key),
                                                effectiveKeyBits: vector.bits, iv: zeroIV)
            XCTAssertEqual(ciphertext.count, 16)
            XCTAssertEqual(Hex.string(Array(ciphertext.prefix(8))), vector.ciphertext, "key \(vector.key) bits \(vector.bits)")
            XCTAssertEqual(try RC2CBC.decrypt(ciphertext, key: Hex.bytes(vector.key), effectiveKeyBits: vector.bits, iv: zeroIV),
                           Hex.bytes(vector.plaintext))
        }
    }

    func testRoundTripAcrossLengthsAndKeySizes() throws {
        let iv = Hex.bytes("0102030405060708")
        for (keyLength, bits) in [(5, 40), (8, 64), (16, 128), (128, 1024)] {
            let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 * 11 + 3) }
            for length in [0, 5, 8, 23] {
                let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
                let ciphertext = try RC2CBC.encrypt(plaintext, key: key, effectiveKeyBits: bits, iv: iv)
                XCTAssertEqual(ciphertext.count, (length / 8 + 1) * 8)
                XCTAssertEqual(try RC2CBC.decrypt(ciphertext, key: key, effectiveKeyBits: bits, iv: iv), plaintext)
            }
        }
    }

    func testEffectiveKeyBitsChangeTheResult() throws {
        let key = Hex.bytes("88bca90e90875a7f0f79c384627bafb2"), iv = [UInt8](repeating: 0, count: 8)
        XCTAssertNotEqual(try RC2CBC.encrypt([0], key: key, effectiveKeyBits: 64, iv: iv),
                          try RC2CBC.encrypt([0], key: key, effectiveKeyBits: 128, iv: iv))
    }

    func testInvalidInputsAreRejected() {
        let iv = [UInt8](repeating: 0, count: 8)
        XCTAssertThrowsError(try RC2CBC.encrypt([1], key: [], effectiveKeyBits: 40, iv: iv)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidKeyLength)
        }
        XCTAssertThrowsError(try RC2CBC.encrypt([1], key: [UInt8](repeating: 0, count: 129), effectiveKeyBits: 40, iv: iv)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidKeyLength)
        }
        XCTAssertThrowsError(try RC2CBC.encrypt([1], key: [1, 2, 3, 4, 5], effectiveKeyBits: 0, iv: iv)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidKeyLength)
        }
        XCTAssertThrowsError(try RC2CBC.encrypt([1], key: [1, 2, 3, 4, 5], effectiveKeyBits: 40, iv: [1])) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidIVLength)
        }
        XCTAssertThrowsError(try RC2CBC.decrypt([1, 2, 3], key: [1, 2, 3, 4, 5], effectiveKeyBits: 40, iv: iv)) {
            XCTAssertEqual($0 as? LegacyCryptoError, .invalidDataLength)
        }
    }
}
