import Crypto
@testable import PSELegacyCrypto
import XCTest

/// The iterated SHA-1 of the PKCS#12 key derivation against swift-crypto's SHA-1, and the
/// derivation with its fast path against the plain loop over swift-crypto.
final class SHA1IterationTests: XCTestCase {
    /// swift-crypto's SHA-1 applied `count` times.
    func referenceRehash(_ bytes: [UInt8], count: Int) -> [UInt8] {
        var digest = bytes
        for _ in 0..<count { digest = Array(Insecure.SHA1.hash(data: digest)) }
        return digest
    }

    func testOneCompressionIsSHA1OfTwentyBytes() {
        // FIPS 180 example input "abc" is not 20 bytes; SHA-1 of 20 zero bytes is a fixed value.
        var zeros = [UInt8](repeating: 0, count: 20).withUnsafeBytes { SHA1Iteration.digest(fromBytes: $0) }
        SHA1Iteration.rehash(&zeros, count: 1)
        XCTAssertEqual(SHA1Iteration.bytes(of: zeros).map { String(format: "%02x", $0) }.joined(),
                       "6768033e216468247bd031a0a2d9876d79818f8f")
    }

    func testRehashMatchesSwiftCryptoForRandomDigestsAndCounts() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 3, 17, 1000] {
            for _ in 0..<20 {
                let start = (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var words = start.withUnsafeBytes { SHA1Iteration.digest(fromBytes: $0) }
                XCTAssertEqual(SHA1Iteration.bytes(of: words), start, "words round trip")
                SHA1Iteration.rehash(&words, count: count)
                XCTAssertEqual(SHA1Iteration.bytes(of: words), referenceRehash(start, count: count), "count \(count)")
            }
        }
    }

    /// The derivation as RFC 7292 B.2 writes it, hashing with swift-crypto in every round.
    func referenceDerive(password: [UInt8], salt: [UInt8], iterations: Int, id: UInt8, length: Int) -> [UInt8] {
        let v = 64, u = 20
        func fill(_ input: [UInt8]) -> [UInt8] {
            input.isEmpty ? [] : (0..<(v * ((input.count + v - 1) / v))).map { input[$0 % input.count] }
        }
        var i = fill(salt) + fill(password)
        var output: [UInt8] = []
        while output.count < length {
            var a = referenceRehash([UInt8](repeating: id, count: v) + i, count: 1)
            a = referenceRehash(a, count: max(iterations, 1) - 1)
            output += a.prefix(length - output.count)
            let b = (0..<v).map { a[$0 % u] }
            for start in stride(from: 0, to: i.count, by: v) {
                var carry = 1
                for offset in (0..<v).reversed() {
                    let sum = Int(i[start + offset]) + Int(b[offset]) + carry
                    i[start + offset] = UInt8(sum & 0xff)
                    carry = sum >> 8
                }
            }
        }
        return output
    }

    func testDerivationMatchesTheReferenceForPSEParameters() {
        for (pin, iterations) in [("1234567980", 10_000), ("", 2048), ("pässwörd ✓", 1), ("x", 2), ("secret", 37)] {
            let password = PKCS12KeyDerivation.passwordBytes(pin)
            let salt: [UInt8] = [0x77, 0xCB, 0x69, 0x08, 0xBE, 0x86, 0x08, 0x65]
            for (purpose, length) in [(PKCS12KeyDerivation.Purpose.encryptionKey, 24), (.iv, 8), (.macKey, 20), (.encryptionKey, 45)] {
                XCTAssertEqual(PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: iterations,
                                                          purpose: purpose, length: length),
                               referenceDerive(password: password, salt: salt, iterations: iterations,
                                               id: purpose.rawValue, length: length),
                               "PIN \(pin.count) characters, \(iterations) iterations, \(purpose), \(length) bytes")
            }
        }
    }
}
